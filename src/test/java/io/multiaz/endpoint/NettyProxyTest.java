package io.multiaz.endpoint;

import io.multiaz.endpoint.DataPath.EndpointCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.multiaz.endpoint.ProxyFixtures.LOOPBACK;
import static io.multiaz.endpoint.ProxyFixtures.deadAddress;
import static io.multiaz.endpoint.ProxyFixtures.freeListenAddress;
import static io.multiaz.endpoint.ProxyFixtures.holding;
import static io.multiaz.endpoint.ProxyFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link NettyProxy} with real sockets, accepting and relaying: endpoints on 127.77.250.1, targets
 * are {@link TagServer}s on 127.0.0.1. Route changes under live connections are in
 * {@link NettyProxyRouteChangeTest}.
 */
final class NettyProxyTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final NettyProxy proxy = open(new NettyProxy());

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void name_isNetty() {
        assertThat(proxy.name()).isEqualTo("netty");
    }

    @Test
    void apply_routeWithTarget_relaysBothWays() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(route("writer", listen, a)));

        try (ProxyClient client = ProxyClient.connect(listen)) {
            assertThat(client.readLine()).isEqualTo("A");
            client.send("hello");
            assertThat(client.readLine()).isEqualTo("hello");
        }
        assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(1, 0));
    }

    @Test
    void accept_twoTargets_spreadsRoundRobin() throws IOException {
        TagServer a = open(new TagServer("A"));
        TagServer b = open(new TagServer("B"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(route("reader", listen, a, b)));

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (ProxyClient client = ProxyClient.connect(listen)) {
                answers.add(client.readLine());
            }
        }
        assertThat(answers).containsExactly("A", "B", "A", "B");
        assertThat(proxy.counters()).containsEntry("reader", new EndpointCounters(4, 0));
    }

    @Test
    void accept_clientOutsideAllowedCidrs_closesAndCountsRefused() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(new Route("writer", listen, List.of(a.address()), false,
                List.of(Cidr.parse("10.0.0.0/8")))));

        try (ProxyClient client = ProxyClient.connect(listen)) {
            assertThat(client.closedByPeer()).isTrue();
        }
        await().untilAsserted(() -> assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(0, 1)));
    }

    @Test
    void accept_firstTargetDown_connectsToNext() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(new Route("writer", listen, List.of(deadAddress(), a.address()), false, LOOPBACK)));

        try (ProxyClient client = ProxyClient.connect(listen)) {
            assertThat(client.readLine()).isEqualTo("A");
        }
        assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(1, 0));
    }

    @Test
    void accept_everyTargetDown_closesAndCountsRefused() throws IOException {
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(new Route("writer", listen, List.of(deadAddress(), deadAddress()), false, LOOPBACK)));

        try (ProxyClient client = ProxyClient.connect(listen)) {
            assertThat(client.closedByPeer()).isTrue();
        }
        await().untilAsserted(() -> assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(0, 1)));
    }

    @Test
    void relay_clientNotReading_stallsItsWritesThenDeliversEveryByte() throws Exception {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(route("writer", listen, a)));
        long total = 128L << 20; // several times what the socket buffers on the way hold

        try (ProxyClient client = ProxyClient.connect(listen)) {
            assertThat(client.readLine()).isEqualTo("A");
            AtomicLong written = new AtomicLong();
            Thread writer = Thread.ofVirtual().start(() -> writePattern(client, total, written));
            long stalledAt = awaitStall(written);
            assertThat(stalledAt).isLessThan(total);

            assertThat(readPattern(client, total)).isEqualTo(total);
            writer.join(5_000);
            assertThat(written.get()).isEqualTo(total);
        }
    }

    /** Waits until {@code written} has not moved for 300 ms and returns it. */
    private static long awaitStall(AtomicLong written) throws InterruptedException {
        long last = -1;
        while (written.get() != last) {
            last = written.get();
            Thread.sleep(300);
        }
        return last;
    }

    private static void writePattern(ProxyClient client, long total, AtomicLong written) {
        byte[] chunk = new byte[64 << 10];
        try {
            for (long sent = 0; sent < total; sent += chunk.length) {
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) ((sent + i) % 251);
                }
                client.out().write(chunk);
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // the test fails on the byte count
        }
    }

    /** Reads {@code total} bytes, checking each against the pattern; returns how many matched in order. */
    private static long readPattern(ProxyClient client, long total) throws IOException {
        byte[] buffer = new byte[64 << 10];
        InputStream in = client.socket().getInputStream();
        long received = 0;
        while (received < total) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != (byte) ((received + i) % 251)) {
                    return received + i;
                }
            }
            received += n;
        }
        return received;
    }

    @Test
    void close_leavesNoListenerAndClosesConnections() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress relayed = freeListenAddress();
        InetSocketAddress held = freeListenAddress();
        proxy.apply(List.of(route("writer", relayed, a), holding("reader", held)));
        try (ProxyClient relayedClient = ProxyClient.connect(relayed);
             ProxyClient heldClient = ProxyClient.connect(held)) {
            assertThat(relayedClient.readLine()).isEqualTo("A");
            await().until(() -> proxy.held("reader") == 1);

            proxy.close();

            assertThat(relayedClient.closedByPeer()).isTrue();
            assertThat(heldClient.closedByPeer()).isTrue();
        }
        assertThatThrownBy(() -> ProxyClient.connect(relayed)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> ProxyClient.connect(held)).isInstanceOf(ConnectException.class);
        proxy.close();
        assertThatThrownBy(() -> proxy.apply(List.of())).isInstanceOf(IllegalStateException.class);
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }
}
