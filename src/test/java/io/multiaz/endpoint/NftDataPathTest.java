package io.multiaz.endpoint;

import io.multiaz.json.Json;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The nftables transaction multiaz renders, and how it reads counters back. */
class NftDataPathTest {
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"));
    private static final InetSocketAddress HOLD = new InetSocketAddress("127.0.0.1", 6505);

    private static InetSocketAddress at(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    @Test
    void rendersDeclareFlushRefillAsOneTransaction() {
        String s = NftDataPath.render("multiaz_t", List.of(
                new Route("writer", at("127.77.5.1", 5432), List.of(at("127.0.0.1", 6500)), false, LOOPBACK),
                new Route("reader", at("127.77.5.2", 5432), List.of(at("127.0.0.1", 6510), at("127.0.0.1", 6520)),
                        false, LOOPBACK)), HOLD);
        assertThat(s.indexOf("table ip multiaz_t {")).isLessThan(s.indexOf("flush table ip multiaz_t"));
        assertThat(s).contains("counter ep_writer_accepted { }", "counter ep_reader_refused { }",
                "type nat hook output priority -100", "type nat hook prerouting priority -100",
                "ip daddr 127.77.5.1 tcp dport 5432 ct state new ip saddr { 127.0.0.0/8 } counter name "
                        + "\"ep_writer_accepted\" accept",
                "ip daddr 127.77.5.1 tcp dport 5432 ct state new counter name \"ep_writer_refused\" reject with tcp reset",
                "ip daddr 127.77.5.1 tcp dport 5432 dnat to 127.0.0.1:6500",
                "ip daddr 127.77.5.2 tcp dport 5432 dnat to numgen inc mod 2 map { 0 : 127.0.0.1 . 6510, 1 : 127.0.0.1 . 6520 }",
                "chain nat_post { type nat hook postrouting priority 100; policy accept; }");
    }

    @Test
    void masqueradesLoopbackClientsDnatedOffThisHost_netnsTopology() {
        String s = NftDataPath.render("multiaz_t", List.of(
                new Route("writer", at("127.77.5.1", 5432), List.of(at("198.18.54.11", 28700)), false, LOOPBACK),
                new Route("reader", at("127.77.5.2", 5432), List.of(), false, LOOPBACK)), HOLD);
        assertThat(s).contains("ip daddr 127.77.5.1 tcp dport 5432 dnat to 198.18.54.11:28700",
                "ct original ip daddr { 127.77.5.1 } ip saddr 127.0.0.0/8 oifname != \"lo\" masquerade");
    }

    @Test
    void aHoldingWriterPointsAtTheHoldListenerAndAnEndpointWithoutTargetsOnlyRefuses() {
        String s = NftDataPath.render("multiaz_t", List.of(
                new Route("writer", at("127.77.5.1", 5432), List.of(), true, LOOPBACK),
                new Route("reader", at("127.77.5.2", 5432), List.of(), false, LOOPBACK)), HOLD);
        assertThat(s).contains("ip daddr 127.77.5.1 tcp dport 5432 dnat to 127.0.0.1:6505")
                .doesNotContain("ip daddr 127.77.5.2 tcp dport 5432 dnat")
                .doesNotContain("\"ep_reader_accepted\" accept")
                .contains("ip daddr 127.77.5.2 tcp dport 5432 ct state new counter name \"ep_reader_refused\" reject");
    }

    @Test
    void countsConnectionsPerEndpointFromNftJson() throws Exception {
        String json = """
                {"nftables": [{"metainfo": {"version": "1.0.6"}},
                 {"counter": {"family": "ip", "name": "ep_writer_accepted", "table": "t", "packets": 7, "bytes": 420}},
                 {"counter": {"family": "ip", "name": "ep_writer_refused", "table": "t", "packets": 2, "bytes": 120}},
                 {"counter": {"family": "ip", "name": "ep_demo_1_accepted", "table": "t", "packets": 1, "bytes": 60}},
                 {"counter": {"family": "ip", "name": "ep_gone_accepted", "table": "t", "packets": 9, "bytes": 60}}]}""";
        var counters = NftDataPath.parseCounters(Json.mapper().readTree(json),
                Map.of("ep_writer", "writer", "ep_demo_1", "demo-1"));
        assertThat(counters).containsEntry("writer", new DataPath.EndpointCounters(7, 2))
                .containsEntry("demo-1", new DataPath.EndpointCounters(1, 0))
                .doesNotContainKey("gone");
    }
}
