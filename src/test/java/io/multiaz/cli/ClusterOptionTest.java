package io.multiaz.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 20: which cluster a command acts on: (--cluster, the clusters that exist) → a name or one line naming them. */
final class ClusterOptionTest {
    private static final List<String> BOTH = List.of("demo", "orders");

    @Test
    void choose_named_existing_isIt() {
        assertThat(ClusterOption.choose(Optional.of("orders"), "demo", BOTH)).isEqualTo("orders");
        assertThat(ClusterOption.choose(Optional.of("demo"), "demo", BOTH)).isEqualTo("demo");
    }

    @Test
    void choose_namedUnknown_oneLineNamingTheClusters() {
        assertThatThrownBy(() -> ClusterOption.choose(Optional.of("nosuch"), "demo", BOTH))
                .isInstanceOf(UserError.class)
                .hasMessage("there is no cluster nosuch in this deployment; clusters: demo, orders (choose one with "
                        + "--cluster NAME)");
    }

    @Test
    void choose_none_demoWhenItExists() {
        assertThat(ClusterOption.choose(Optional.empty(), "demo", BOTH)).isEqualTo("demo");
        assertThat(ClusterOption.choose(Optional.empty(), "demo", List.of("demo"))).isEqualTo("demo");
    }

    @Test
    void choose_none_noDemo_theOnlyCluster() {
        assertThat(ClusterOption.choose(Optional.empty(), "demo", List.of("orders"))).isEqualTo("orders");
    }

    @Test
    void choose_none_noDemoAndSeveral_asksForOneNamingThem() {
        assertThatThrownBy(() -> ClusterOption.choose(Optional.empty(), "demo", List.of("billing", "orders")))
                .isInstanceOf(UserError.class).hasMessageContaining("--cluster NAME").hasMessageContaining("billing, orders");
    }

    @Test
    void choose_noClusterAtAll_saysSo() {
        assertThatThrownBy(() -> ClusterOption.choose(Optional.empty(), "demo", List.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("no cluster in this deployment");
        assertThatThrownBy(() -> ClusterOption.choose(Optional.of("demo"), "demo", List.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("clusters: none");
    }
}
