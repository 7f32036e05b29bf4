package io.multiaz.endpoint;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One nftables table per cluster, and which tables {@code down} may delete. */
final class NftTest {
    private static final Path STATE = Path.of("/var/tmp/multiaz-state");

    @Test
    void tableName_slotZeroIsTheStateDirsBaseName_othersCarryTheirSlot() {
        String base = Nft.tableName(STATE);

        assertThat(Nft.tableName(STATE, 0)).isEqualTo(base);
        assertThat(Nft.tableName(STATE, 3)).isEqualTo(base + "_3");
        assertThatThrownBy(() -> Nft.tableName(STATE, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ownedTable_baseAndSlotTablesOnly() {
        String base = Nft.tableName(STATE);

        assertThat(Nft.ownedTable(base, base)).isTrue();
        assertThat(Nft.ownedTable(base, base + "_1")).isTrue();
        assertThat(Nft.ownedTable(base, base + "_15")).isTrue();
        assertThat(Nft.ownedTable(base, base + "_")).isFalse();
        assertThat(Nft.ownedTable(base, base + "_x")).isFalse();
        assertThat(Nft.ownedTable(base, base + "1")).isFalse();
        assertThat(Nft.ownedTable(base, "multiaz_00000000")).isFalse();
        assertThat(Nft.ownedTable(base, "filter")).isFalse();
    }

    @Test
    void ipTables_namesOfTheIpFamilyFromNftJson() {
        String json = """
                {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
                  {"table": {"family": "ip", "name": "multiaz_1a2b3c4d", "handle": 7}},
                  {"table": {"family": "inet", "name": "multiaz_1a2b3c4d_2", "handle": 8}},
                  {"table": {"family": "ip", "name": "multiaz_1a2b3c4d_2", "handle": 9}},
                  {"table": {"family": "ip", "name": "nat", "handle": 10}}]}""";

        assertThat(Nft.ipTables(json)).containsExactly("multiaz_1a2b3c4d", "multiaz_1a2b3c4d_2", "nat");
    }

    @Test
    void render_writerRuleMatchesTheEndpointPortOnly_soTheHoldListenerOnTheWriterAddressIsReachable() {
        // slot >= 1: the hold listener listens on the writer endpoint's own address, on the zone's proxy port
        InetSocketAddress hold = new InetSocketAddress("127.77.5.17", 6505);
        String s = NftDataPath.render("multiaz_t_1", List.of(new Route("writer",
                new InetSocketAddress("127.77.5.17", 5432), List.of(), true, List.of(Cidr.parse("127.0.0.0/8")))), hold);

        assertThat(s).contains("ip daddr 127.77.5.17 tcp dport 5432 dnat to 127.77.5.17:6505")
                .doesNotContain("tcp dport 6505");
    }

    @Test
    void clients_areTheOriginalSourcesOfTheDeletedEntries() {
        String out = """
                tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.77.54.1 sport=51234 dport=5432 src=198.18.54.12 \
                dst=198.18.54.1 sport=28710 dport=51234 [ASSURED] mark=0 use=1
                tcp      6 120 SYN_SENT src=10.1.2.3 dst=127.77.54.1 sport=40000 dport=5432 [UNREPLIED] src=198.18.54.12 \
                dst=10.1.2.3 sport=28710 dport=40000 mark=0 use=1
                conntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted.
                """;

        assertThat(Nft.clients(out)).containsExactly(new Nft.Client("127.0.0.1", 51234),
                new Nft.Client("10.1.2.3", 40000));
        assertThat(Nft.clients("conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.")).isEmpty();
    }

    @Test
    void socketFilter_namesTheEndpointAndEachClientPort() {
        assertThat(Nft.socketFilter("127.77.54.1", 5432, java.util.List.of(new Nft.Client("127.0.0.1", 1),
                new Nft.Client("127.0.0.1", 2)))).containsExactly("dst", "127.77.54.1", "and", "dport", "=", ":5432",
                "and", "(", "sport", "=", ":1", "or", "sport", "=", ":2", ")");
    }
}
