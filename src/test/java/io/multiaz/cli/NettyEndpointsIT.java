package io.multiaz.cli;

/** The same endpoint tests on the Netty fallback data path. */
final class NettyEndpointsIT extends EndpointsITBase {
    NettyEndpointsIT() {
        super("netty", 28200);
    }
}
