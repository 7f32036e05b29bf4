package io.multiaz.endpoint;

import io.multiaz.endpoint.DataPath.EndpointCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.multiaz.endpoint.ProxyFixtures.ENDPOINT_IP;
import static io.multiaz.endpoint.ProxyFixtures.LOOPBACK;
import static io.multiaz.endpoint.ProxyFixtures.freeListenAddress;
import static io.multiaz.endpoint.ProxyFixtures.holding;
import static io.multiaz.endpoint.ProxyFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link NettyProxy} when its routes change under live connections: held connections go to the
 * targets that come (or are closed when the hold times out), relayed ones stay where they are, a
 * removed route stops listening, and a route it cannot apply leaves the others routing. Real
 * sockets, as in {@link NettyProxyTest}.
 */
final class NettyProxyRouteChangeTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final NettyProxy proxy = open(new NettyProxy());

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void apply_targetsAfterHold_releasesHeldConnectionToThem() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(holding("writer", listen)));

        try (ProxyClient client = ProxyClient.connect(listen)) {
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

        try (ProxyClient client = ProxyClient.connect(listen)) {
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

        try (ProxyClient client = ProxyClient.connect(listen)) {
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

        try (ProxyClient first = ProxyClient.connect(listen)) {
            assertThat(first.readLine()).isEqualTo("A");
            proxy.apply(List.of(route("writer", listen, b)));
            try (ProxyClient second = ProxyClient.connect(listen)) {
                assertThat(second.readLine()).isEqualTo("B");
            }
            first.send("still here");
            assertThat(first.readLine()).isEqualTo("still here");
        }
    }

    @Test
    void apply_routeRemoved_closesListener() throws IOException {
        TagServer a = open(new TagServer("A"));
        InetSocketAddress listen = freeListenAddress();
        proxy.apply(List.of(route("writer", listen, a)));
        try (ProxyClient client = ProxyClient.connect(listen)) {
            assertThat(client.readLine()).isEqualTo("A");
        }

        proxy.apply(List.of());

        assertThatThrownBy(() -> ProxyClient.connect(listen)).isInstanceOf(ConnectException.class);
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

            try (ProxyClient client = ProxyClient.connect(listen)) {
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
        try (ProxyClient client = ProxyClient.connect(working)) {
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

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }
}
