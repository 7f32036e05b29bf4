package io.multiaz.endpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;

/**
 * Addresses and routes of the {@link NettyProxy} tests: endpoints listen on {@link #ENDPOINT_IP},
 * 127.77.250.1, and admit clients from {@link #LOOPBACK}; targets are {@link TagServer}s on
 * 127.0.0.1.
 */
final class ProxyFixtures {
    static final InetAddress ENDPOINT_IP = address("127.77.250.1");
    static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"));

    private ProxyFixtures() {
    }

    static Route route(String endpoint, InetSocketAddress listen, TagServer... targets) {
        return new Route(endpoint, listen, Arrays.stream(targets).map(TagServer::address).toList(), false, LOOPBACK);
    }

    static Route holding(String endpoint, InetSocketAddress listen) {
        return new Route(endpoint, listen, List.of(), true, LOOPBACK);
    }

    /** A port free on the endpoint address now (taken from the kernel, then released). */
    static InetSocketAddress freeListenAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, ENDPOINT_IP)) {
            return new InetSocketAddress(ENDPOINT_IP, probe.getLocalPort());
        }
    }

    /** An address on 127.0.0.1 where nothing listens. */
    static InetSocketAddress deadAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(probe.getInetAddress(), probe.getLocalPort());
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
