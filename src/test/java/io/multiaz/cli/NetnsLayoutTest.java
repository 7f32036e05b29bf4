package io.multiaz.cli;

import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.config.TopologyLayout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.model.InstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A new layout of each topology, and its round trip through multiaz.yaml. */
final class NetnsLayoutTest {
    @TempDir
    Path dir;

    @Test
    void netnsLayout_zonesAndInstancesOnTheNamespaceAddresses_roundTrips() {
        TopologyLayout t = TopologyLayout.netns(dir, 28700, LocalSite.ZONES);
        Layout layout = LocalSite.newLayout(28700, Path.of("/usr/lib/postgresql/15/bin"), "postgres", "auto", t);
        assertThat(layout.zones()).extracting(ZoneLayout::host)
                .containsExactly("198.18.54.11", "198.18.54.12", "198.18.54.13");
        assertThat(layout.demo().instances()).extracting(InstanceSpec::host)
                .containsExactly("198.18.54.11", "198.18.54.12", "198.18.54.13");
        assertThat(layout.zkConnect()).isEqualTo("198.18.54.11:28702,198.18.54.12:28712,198.18.54.13:28722");
        assertThat(layout.endpoints().network()).isEqualTo("127.77.54.0/24");
        assertThat(Layout.ENDPOINTS_AGENTS).containsExactly("endpoints", "endpoints-2");
        assertThat(layout.endpointsAgentHold("endpoints")).hasToString("/127.0.0.1:28707");
        assertThat(layout.endpointsAgentUrl("endpoints")).isEqualTo("http://127.0.0.1:28708");
        assertThat(layout.endpointsAgentHold("endpoints-2")).hasToString("/127.0.0.1:28717");
        assertThat(layout.endpointsAgentUrl("endpoints-2")).isEqualTo("http://127.0.0.1:28718");
        assertThatThrownBy(() -> layout.endpointsAgentHold("endpoints-3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[endpoints, endpoints-2]");

        Path file = dir.resolve("multiaz.yaml");
        LayoutFile.write(file, layout);
        assertThat(LayoutFile.read(file)).isEqualTo(layout);
    }

    @Test
    void layoutWithoutTopology_writtenBeforeTopologies_readsAsLocal() throws Exception {
        Layout layout = LocalSite.newLayout(6500, Path.of("/usr/lib/postgresql/15/bin"), null, "auto",
                TopologyLayout.local());
        assertThat(layout.zones()).extracting(ZoneLayout::host).containsOnly("127.0.0.1");
        Path file = dir.resolve("multiaz.yaml");
        LayoutFile.write(file, layout);
        String old = Files.readString(file);
        int cut = old.indexOf("topology:");
        assertThat(cut).isPositive();
        Files.writeString(file, old.substring(0, cut) + old.substring(old.indexOf("operatorToken:")));
        Layout read = LayoutFile.read(file);
        assertThat(read.topology().kind()).isEqualTo("local");
        assertThat(read.topology().isNetns()).isFalse();
        assertThat(read).isEqualTo(layout);
    }

    @Test
    void operatorToken_storedAsOneLineOfTheFile_andAbsentFromLayoutsWrittenBeforeTokens() throws Exception {
        Layout layout = LocalSite.newLayout(6500, Path.of("/usr/lib/postgresql/15/bin"), null, "auto",
                TopologyLayout.local());
        Path file = dir.resolve("multiaz.yaml");
        LayoutFile.write(file, layout);
        String yaml = Files.readString(file);
        assertThat(yaml).contains("operatorToken: \"" + layout.operatorToken().value() + "\"");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        Files.writeString(file, yaml.lines().filter(l -> !l.startsWith("operatorToken:"))
                .collect(java.util.stream.Collectors.joining("\n")));
        assertThat(LayoutFile.read(file).operatorToken()).isNull();
        assertThat(LayoutFile.read(file).withOperatorToken(layout.operatorToken())).isEqualTo(layout);
    }
}
