package io.multiaz.endpoint;

import io.multiaz.endpoint.DataPath.EndpointCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@link NettyProxy} with real sockets: endpoints on 127.77.250.1, targets are {@link TagServer}s on 127.0.0.1. */
final class NettyProxyTest {
    private static final InetAddress ENDPOINT_IP = address("127.77.250.1");
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"));

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

        try (Client client = Client.connect(listen)) {
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
            try (Client client = Client.connect(listen)) {
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

        try (Client client = Client.connect(listen)) {
            assertThat(client.closedByPeer()).isTrue();
        }
        await().untilAsserted(() -> assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(0, 1)));
    }

    @Test
    void apply_targetsAfterHold_releasesHeldConnectionToThem() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(holding("writer", listen)));

        try (Client client = Client.connect(listen)) {
            client.send("sent while held");
            await().until(() -> proxy.held("writer") == 1);
            proxy.apply(List.of(route("writer", listen, a)));

            assertThat(client.readLine()).isEqualTo("A");
            assertThat(client.readLine()).isEqualTo("sent while held");
        }
        assertThat(proxy.held("writer")).isZero();
        assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(1, 0));
    }

    @Test
    void apply_noTargets_holdsLikeHold() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(new Route("reader", listen, List.of(), false, LOOPBACK)));

        try (Client client = Client.connect(listen)) {
            await().until(() -> proxy.held("reader") == 1);
            proxy.apply(List.of(route("reader", listen, a)));
            assertThat(client.readLine()).isEqualTo("A");
        }
    }

    @Test
    void hold_timeoutPasses_closesAndCountsRefused() throws IOException {
        NettyProxy quick = open(new NettyProxy(Duration.ofMillis(300)));
        InetSocketAddress listen = freeListenAddress();
        quick.apply(List.of(holding("writer", listen)));

        try (Client client = Client.connect(listen)) {
            assertThat(client.closedByPeer()).isTrue();
        }
        await().untilAsserted(() -> assertThat(quick.counters()).containsEntry("writer", new EndpointCounters(0, 1)));
        assertThat(quick.held("writer")).isZero();
    }

    @Test
    void apply_otherTargets_newConnectionsGoThereAndRelayedOnesStay() throws IOException {
        TagServer a = open(new TagServer("A"));
        TagServer b = open(new TagServer("B"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(route("writer", listen, a)));

        try (Client first = Client.connect(listen)) {
            assertThat(first.readLine()).isEqualTo("A");
            proxy.apply(List.of(route("writer", listen, b)));
            try (Client second = Client.connect(listen)) {
                assertThat(second.readLine()).isEqualTo("B");
            }
            first.send("still here");
            assertThat(first.readLine()).isEqualTo("still here");
        }
    }

    @Test
    void relay_clientNotReading_stallsItsWritesThenDeliversEveryByte() throws Exception {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(route("writer", listen, a)));
        long total = 128L << 20; // several times what the socket buffers on the way hold

        try (Client client = Client.connect(listen)) {
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

    private static void writePattern(Client client, long total, AtomicLong written) {
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
    private static long readPattern(Client client, long total) throws IOException {
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
    void apply_routeRemoved_closesListener() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(route("writer", listen, a)));
        try (Client client = Client.connect(listen)) {
            assertThat(client.readLine()).isEqualTo("A");
        }

        proxy.apply(List.of());

        assertThatThrownBy(() -> Client.connect(listen)).isInstanceOf(ConnectException.class);
    }

    @Test
    void accept_firstTargetDown_connectsToNext() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(new Route("writer", listen, List.of(deadAddress(), a.address()), false, LOOPBACK)));

        try (Client client = Client.connect(listen)) {
            assertThat(client.readLine()).isEqualTo("A");
        }
        assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(1, 0));
    }

    @Test
    void accept_everyTargetDown_closesAndCountsRefused() throws IOException {
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(new Route("writer", listen, List.of(deadAddress(), deadAddress()), false, LOOPBACK)));

        try (Client client = Client.connect(listen)) {
            assertThat(client.closedByPeer()).isTrue();
        }
        await().untilAsserted(() -> assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(0, 1)));
    }

    @Test
    void accept_targetFailsAfterTheRouteChanged_followsTheNewRoute() throws Exception {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        // a target that never answers: its accept queue is full, so the kernel drops the proxy's SYNs
        // and the proxy's connect fails only at its timeout, after the route below has changed
        try (ServerSocket stalled = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress stalledAddress = new InetSocketAddress(stalled.getInetAddress(), stalled.getLocalPort());
            List<Socket> queued = new ArrayList<>();
            try {
                for (int k = 0; k < 4; k++) {
                    Socket s = new Socket();
                    s.connect(stalledAddress, 200);
                    queued.add(s);
                }
            } catch (IOException full) {
                // the queue is full once a connect times out
            }
            proxy.apply(List.of(new Route("writer", listen, List.of(stalledAddress), false, LOOPBACK)));

            try (Client client = Client.connect(listen)) {
                Thread.sleep(300); // the proxy accepts it and starts connecting (its timeout is 2 s)
                proxy.apply(List.of(holding("writer", listen)));
                proxy.apply(List.of(route("writer", listen, a)));

                assertThat(client.readLine()).isEqualTo("A");
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
        assertThat(proxy.counters()).containsEntry("writer", new EndpointCounters(1, 0));
    }

    @Test
    void apply_addressInUse_throwsNamingItAndKeepsRouting() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress working = freeListenAddress();
        proxy.apply(List.of(route("writer", working, a)));
        ServerSocket squatter = open(new ServerSocket(0, 1, ENDPOINT_IP));
        InetSocketAddress busy = new InetSocketAddress(ENDPOINT_IP, squatter.getLocalPort());

        assertThatThrownBy(() -> proxy.apply(List.of(route("writer", working, a), route("reader", busy, a))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.77.250.1:" + busy.getPort())
                .hasMessageContaining("another process listens there");
        try (Client client = Client.connect(working)) {
            assertThat(client.readLine()).isEqualTo("A");
        }
    }

    @Test
    void apply_twoRoutesOnOneAddress_throws() throws IOException {
        InetSocketAddress listen = freeListenAddress();

        assertThatThrownBy(() -> proxy.apply(List.of(holding("writer", listen), holding("reader", listen))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both listen on");
    }

    @Test
    void close_leavesNoListenerAndClosesConnections() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress relayed = freeListenAddress();
        InetSocketAddress held = freeListenAddress();
        proxy.apply(List.of(route("writer", relayed, a), holding("reader", held)));
        try (Client relayedClient = Client.connect(relayed); Client heldClient = Client.connect(held)) {
            assertThat(relayedClient.readLine()).isEqualTo("A");
            await().until(() -> proxy.held("reader") == 1);

            proxy.close();

            assertThat(relayedClient.closedByPeer()).isTrue();
            assertThat(heldClient.closedByPeer()).isTrue();
        }
        assertThatThrownBy(() -> Client.connect(relayed)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> Client.connect(held)).isInstanceOf(ConnectException.class);
        proxy.close();
        assertThatThrownBy(() -> proxy.apply(List.of())).isInstanceOf(IllegalStateException.class);
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    private static Route route(String endpoint, InetSocketAddress listen, TagServer... targets) {
        return new Route(endpoint, listen, Arrays.stream(targets).map(TagServer::address).toList(), false, LOOPBACK);
    }

    private static Route holding(String endpoint, InetSocketAddress listen) {
        return new Route(endpoint, listen, List.of(), true, LOOPBACK);
    }

    /** A port free on the endpoint address now (taken from the kernel, then released). */
    private static InetSocketAddress freeListenAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, ENDPOINT_IP)) {
            return new InetSocketAddress(ENDPOINT_IP, probe.getLocalPort());
        }
    }

    /** An address on 127.0.0.1 where nothing listens. */
    private static InetSocketAddress deadAddress() throws IOException {
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

    /** A client socket reading lines, with a 3 s read timeout so that a broken proxy fails the test instead of hanging it. */
    private record Client(Socket socket, BufferedReader in, OutputStream out) implements AutoCloseable {
        static Client connect(InetSocketAddress address) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(address, 2_000);
                socket.setSoTimeout(3_000);
                return new Client(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8)), socket.getOutputStream());
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        }

        String readLine() throws IOException {
            return in.readLine();
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Whether the proxy closed this connection (end of stream or a reset) before the read timeout. */
        boolean closedByPeer() throws IOException {
            try {
                return in.read() == -1;
            } catch (SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
