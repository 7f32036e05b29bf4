package io.multiaz.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class StorePathsTest {

    @Test
    void defaults_orders_layoutUnderMultiaz() {
        StorePaths paths = StorePaths.defaults();

        assertThat(paths.clusters()).isEqualTo("/multiaz/clusters");
        assertThat(paths.spec("orders")).isEqualTo("/multiaz/clusters/orders/spec");
        assertThat(paths.bootstrap("orders")).isEqualTo("/multiaz/clusters/orders/bootstrap");
        assertThat(paths.leader("orders")).isEqualTo("/multiaz/clusters/orders/leader");
        assertThat(paths.fence("orders")).isEqualTo("/multiaz/clusters/orders/fence");
        assertThat(paths.members("orders")).isEqualTo("/multiaz/clusters/orders/members");
        assertThat(paths.member("orders", "db-1")).isEqualTo("/multiaz/clusters/orders/members/db-1");
        assertThat(paths.events("orders")).isEqualTo("/multiaz/clusters/orders/events");
        assertThat(paths.history("orders")).isEqualTo("/multiaz/clusters/orders/history");
        assertThat(paths.request("orders")).isEqualTo("/multiaz/clusters/orders/request");
        assertThat(paths.paused("orders")).isEqualTo("/multiaz/clusters/orders/paused");
        assertThat(paths.event("orders")).isEqualTo("/multiaz/clusters/orders/events/event-");
        assertThat(paths.historyEntry("orders")).isEqualTo("/multiaz/clusters/orders/history/entry-");
        assertThat(paths.tags("orders", "db:db-1")).isEqualTo("/multiaz/clusters/orders/tags/db:db-1");
        assertThat(paths.subnetGroup("web tier")).isEqualTo("/multiaz/subnet-groups/web tier");
        assertThat(paths.parameterGroup("tuned")).isEqualTo("/multiaz/parameter-groups/tuned");
        assertThat(paths.clusterSnapshot("final-1")).isEqualTo("/multiaz/cluster-snapshots/final-1");
        assertThat(paths.slot(3)).isEqualTo("/multiaz/slots/03");
        assertThat(paths.isTags("orders", "/multiaz/clusters/orders/tags/cluster")).isTrue();
        assertThat(paths.isTags("orders", "/multiaz/clusters/orders/tagsx")).isFalse();
    }

    @Test
    void endpointOwner_namespaceAndCluster_underTheRoot() {
        StorePaths paths = new StorePaths("/prod/multiaz");

        assertThat(paths.endpointElection("4026531840", "orders")).isEqualTo("/prod/multiaz/endpoints/4026531840/orders");
        assertThat(paths.endpointOwner("4026531840", "orders"))
                .isEqualTo("/prod/multiaz/endpoints/4026531840/orders/owner");
        assertThat(StorePaths.defaults().endpointOwner("default", "demo")).isEqualTo("/multiaz/endpoints/default/demo/owner");
        assertThatThrownBy(() -> paths.endpointOwner("", "orders")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isLog_eventsAndHistoryAndTheirChildren_onlyThose() {
        StorePaths paths = StorePaths.defaults();

        assertThat(paths.isLog("orders", "/multiaz/clusters/orders/events")).isTrue();
        assertThat(paths.isLog("orders", "/multiaz/clusters/orders/events/event-0000000007")).isTrue();
        assertThat(paths.isLog("orders", "/multiaz/clusters/orders/history/entry-0000000001")).isTrue();
        assertThat(paths.isLog("orders", "/multiaz/clusters/orders/eventsX")).isFalse();
        assertThat(paths.isLog("orders", "/multiaz/clusters/orders/paused")).isFalse();
        assertThat(paths.isLog("orders", "/multiaz/clusters/orders")).isFalse();
        assertThat(paths.isLog("payments", "/multiaz/clusters/orders/events")).isFalse();
    }

    @Test
    void spec_customRoot_isUnderIt() {
        assertThat(new StorePaths("/prod/multiaz").spec("orders")).isEqualTo("/prod/multiaz/clusters/orders/spec");
    }

    @Test
    void constructor_relativeOrTrailingSlash_isRejected() {
        assertThatThrownBy(() -> new StorePaths("multiaz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorePaths("/multiaz/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorePaths("/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void member_nameWithSlashOrEmpty_isRejected() {
        StorePaths paths = StorePaths.defaults();

        assertThatThrownBy(() -> paths.member("orders", "db/1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db/1");
        assertThatThrownBy(() -> paths.spec("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.spec(null)).isInstanceOf(NullPointerException.class);
    }
}
