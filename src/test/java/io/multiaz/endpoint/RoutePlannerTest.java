package io.multiaz.endpoint;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where each endpoint points, for every state the store can show. */
class RoutePlannerTest {
    static final ClusterSpec DEMO = new ClusterSpec("demo", "postgres", 1, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500),
            new InstanceSpec("demo-2", "az-b", "127.0.0.1", 6510),
            new InstanceSpec("demo-3", "az-c", "127.0.0.1", 6520)),
            new Credentials("multiaz_admin", "su", "replicator", "repl", "dbadmin", "master"), Map.of());
    static final EndpointAddresses ADDRESSES = EndpointAddresses.of(Cidr.parse("127.77.5.0/24"), 0, DEMO, 5432);
    static final RoutePlanner.Policy POLICY = new RoutePlanner.Policy(1000, true, List.of(Cidr.parse("127.0.0.0/8")));

    static RoutePlanner.Member writer(String name, int port) {
        return new RoutePlanner.Member(name, "127.0.0.1", port, Role.WRITER, ServerState.RUNNING, false, 0);
    }

    static RoutePlanner.Member reader(String name, int port, boolean streaming, long lag) {
        return new RoutePlanner.Member(name, "127.0.0.1", port, Role.READER, ServerState.RUNNING, streaming, lag);
    }

    static Route route(List<Route> routes, String endpoint) {
        return routes.stream().filter(r -> r.endpoint().equals(endpoint)).findFirst().orElseThrow();
    }

    static InetSocketAddress at(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void healthyClusterWriterToTheLeaseHolderReaderOverBothReaders() {
        List<Route> routes = RoutePlanner.plan("demo-1", null, List.of(writer("demo-1", 6500),
                reader("demo-2", 6510, true, 0), reader("demo-3", 6520, true, 10)), ADDRESSES, POLICY);
        assertThat(route(routes, "writer").targets()).containsExactly(at(6500));
        assertThat(route(routes, "writer").hold()).isFalse();
        assertThat(route(routes, "writer").listen()).isEqualTo(new InetSocketAddress("127.77.5.1", 5432));
        assertThat(route(routes, "reader").targets()).containsExactly(at(6510), at(6520));
        assertThat(route(routes, "reader").listen()).isEqualTo(new InetSocketAddress("127.77.5.2", 5432));
        assertThat(route(routes, "demo-2").targets()).containsExactly(at(6510));
        assertThat(route(routes, "demo-2").listen()).isEqualTo(new InetSocketAddress("127.77.5.4", 5432));
    }

    @Test
    void readerEndpointSkipsALaggingAStoppedAndANonStreamingReader() {
        var stopped = new RoutePlanner.Member("demo-3", "127.0.0.1", 6520, Role.READER, ServerState.STOPPED, false, 0);
        List<Route> routes = RoutePlanner.plan("demo-1", null, List.of(writer("demo-1", 6500),
                reader("demo-2", 6510, true, 5000), stopped), ADDRESSES, POLICY);
        // none qualifies: the writer, as configured
        assertThat(route(routes, "reader").targets()).containsExactly(at(6500));

        routes = RoutePlanner.plan("demo-1", null, List.of(writer("demo-1", 6500),
                reader("demo-2", 6510, false, 0), reader("demo-3", 6520, true, 999)), ADDRESSES, POLICY);
        assertThat(route(routes, "reader").targets()).containsExactly(at(6520));
    }

    @Test
    void withoutFallbackAReaderEndpointWithNoQualifyingReaderRefuses() {
        var policy = new RoutePlanner.Policy(1000, false, POLICY.allowedCidrs());
        List<Route> routes = RoutePlanner.plan("demo-1", null, List.of(writer("demo-1", 6500),
                reader("demo-2", 6510, true, -1)), ADDRESSES, policy);
        assertThat(route(routes, "reader").targets()).isEmpty();
        assertThat(route(routes, "reader").hold()).isFalse();
    }

    @Test
    void writerEndpointHoldsDuringASwitchoverAndWhileNoWriterRuns() {
        var members = List.of(writer("demo-1", 6500), reader("demo-2", 6510, true, 0));
        var switchover = new OperatorRequest(OperatorRequest.Kind.SWITCHOVER, "demo-1", "demo-2", false,
                java.time.Instant.EPOCH, null);
        assertThat(route(RoutePlanner.plan("demo-1", switchover, members, ADDRESSES, POLICY), "writer").hold())
                .isTrue();
        // the new writer runs while the request waits for the old writer to follow: no more holding
        var promoted = List.of(writer("demo-2", 6510), reader("demo-1", 6500, false, 0));
        assertThat(route(RoutePlanner.plan("demo-2", switchover, promoted, ADDRESSES, POLICY), "writer").targets())
                .containsExactly(at(6510));
        // the lease is free (failover under way)
        assertThat(route(RoutePlanner.plan(null, null, members, ADDRESSES, POLICY), "writer").hold()).isTrue();
        // the new lease holder has not promoted yet: it still runs as a reader
        var promoting = List.of(reader("demo-2", 6510, false, 0));
        assertThat(route(RoutePlanner.plan("demo-2", null, promoting, ADDRESSES, POLICY), "writer").hold()).isTrue();
        // the holder's server is down (restarting after a crash)
        var down = List.of(new RoutePlanner.Member("demo-1", "127.0.0.1", 6500, Role.WRITER, ServerState.STOPPED,
                false, 0));
        assertThat(route(RoutePlanner.plan("demo-1", null, down, ADDRESSES, POLICY), "writer").hold()).isTrue();
    }

    @Test
    void afterAFailoverTheWriterEndpointFollowsTheNewWriter() {
        List<Route> routes = RoutePlanner.plan("demo-2", null, List.of(writer("demo-2", 6510),
                reader("demo-3", 6520, true, 0)), ADDRESSES, POLICY);
        assertThat(route(routes, "writer").targets()).containsExactly(at(6510));
        assertThat(route(routes, "reader").targets()).containsExactly(at(6520));
    }

    @Test
    void clustersTakeConsecutiveBlocksOfSixteenAddresses() {
        EndpointAddresses second = EndpointAddresses.of(Cidr.parse("127.77.5.0/24"), 1, DEMO, 5432);
        assertThat(second.writer().getAddress().getHostAddress()).isEqualTo("127.77.5.17");
        assertThat(second.instances().get("demo-3").getAddress().getHostAddress()).isEqualTo("127.77.5.21");
        assertThat(EndpointAddresses.uri(second.writer(), "dbadmin", "pw", "postgres"))
                .isEqualTo("postgresql://dbadmin:pw@127.77.5.17/postgres");
    }
}
