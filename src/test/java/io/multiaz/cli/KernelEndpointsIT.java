package io.multiaz.cli;

/** The endpoints on the kernel data path (nftables DNAT). */
final class KernelEndpointsIT extends EndpointsITBase {
    KernelEndpointsIT() {
        super("nftables", 28100);
    }
}
