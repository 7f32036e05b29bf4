package io.multiaz.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The names and addresses of the netns topology: derived from the state dir and the base port, stable. */
final class TopologyLayoutTest {
    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");

    @Test
    void netns_namesComeFromAHashOfTheStateDir_andFitLinuxLinkNames() {
        TopologyLayout t = TopologyLayout.netns(Path.of("/var/tmp/multiaz"), 28700, ZONES);
        String h = TopologyLayout.hash6(Path.of("/var/tmp/multiaz"));
        assertThat(h).matches("[0-9a-f]{6}");
        assertThat(t.bridge()).isEqualTo("mazb" + h);
        assertThat(t.namespaces()).containsExactly(java.util.Map.entry("az-a", "maz" + h + "-az-a"),
                java.util.Map.entry("az-b", "maz" + h + "-az-b"), java.util.Map.entry("az-c", "maz" + h + "-az-c"));
        assertThat(t.vethRoot("az-b")).isEqualTo("mazv" + h + "b");
        assertThat(t.vethPeer("az-c")).isEqualTo("mazp" + h + "c");
        for (String name : List.of(t.bridge(), t.vethRoot("az-a"), t.vethPeer("az-a"))) {
            assertThat(name.length()).isLessThanOrEqualTo(15);
        }
    }

    @Test
    void hash6_sameDirSameHash_otherDirOtherHash_relativePathsResolved() {
        assertThat(TopologyLayout.hash6(Path.of("/tmp/a/../b"))).isEqualTo(TopologyLayout.hash6(Path.of("/tmp/b")));
        assertThat(TopologyLayout.hash6(Path.of("/tmp/b"))).isNotEqualTo(TopologyLayout.hash6(Path.of("/tmp/c")));
        assertThat(TopologyLayout.hash6(Path.of("x"))).isEqualTo(TopologyLayout.hash6(Path.of("x").toAbsolutePath()));
    }

    @Test
    void netns_addressesComeFromTheBasePort_inside198_18() {
        TopologyLayout t = TopologyLayout.netns(Path.of("/s"), 28700, ZONES);
        assertThat(t.network()).isEqualTo("198.18.54.0/24"); // 2870 mod 256
        assertThat(t.gateway()).isEqualTo("198.18.54.1");
        assertThat(List.of(t.zoneAddress(0), t.zoneAddress(1), t.zoneAddress(2)))
                .containsExactly("198.18.54.11", "198.18.54.12", "198.18.54.13");
        assertThat(TopologyLayout.network(6500)).isEqualTo("198.18.138.0/24");
        assertThat(TopologyLayout.network(2550)).isEqualTo("198.18.255.0/24");
        assertThat(TopologyLayout.network(2560)).isEqualTo("198.18.0.0/24");
    }

    @Test
    void allowedNetworks_localLoopbackOnly_netnsTheDeploymentNetworkAndLoopback() {
        assertThat(TopologyLayout.local().allowedNetworks()).containsExactly("127.0.0.1/32");
        assertThat(TopologyLayout.netns(Path.of("/s"), 28700, ZONES).allowedNetworks())
                .containsExactly("198.18.54.0/24", "127.0.0.1/32");
    }

    @Test
    void absentKindIsLocal_unknownKindRefused_netnsNeedsItsNames() {
        assertThat(new TopologyLayout(null, null, null, null).isNetns()).isFalse();
        assertThatThrownBy(() -> new TopologyLayout("vm", null, null, null)).hasMessageContaining("local, netns");
        assertThatThrownBy(() -> new TopologyLayout("netns", "198.18.1.0/24", "mazb000000", java.util.Map.of()))
                .hasMessageContaining("namespace per zone");
        assertThatThrownBy(() -> TopologyLayout.netns(Path.of("/s"), 28700, ZONES).vethRoot("az-z"))
                .hasMessageContaining("az-z");
    }
}
