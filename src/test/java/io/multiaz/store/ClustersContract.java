package io.multiaz.store;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.multiaz.store.ClusterStoreContract.CLUSTER;
import static io.multiaz.store.StoreFixtures.event;
import static io.multiaz.store.StoreFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link Clusters} does, run against {@link CuratorClusters} and {@link InMemoryClusters}
 * beside the {@link ClusterStore} of the same backing store, which reads the specs they write.
 */
interface ClustersContract {
    /** A new session (agent) on the backing store shared by this test. */
    ClusterStore newSession();

    /** The clusters and RDS repositories on the backing store shared by this test (a new client each call). */
    RdsRecords records();

    @Test
    default void create_newSpec_readBackByOtherSessions() {
        Clusters clusters = records().clusters();

        assertThat(clusters.create(spec(CLUSTER))).isTrue();

        assertThat(newSession().read(CLUSTER).spec()).contains(spec(CLUSTER));
        assertThat(records().clusters().names()).containsExactly(CLUSTER);
    }

    @Test
    default void create_nameTaken_isFalseAndKeepsTheFirstSpec() {
        assertThat(records().clusters().create(spec(CLUSTER))).isTrue();
        ClusterSpec other = new ClusterSpec(CLUSTER, "other", 0, spec(CLUSTER).instances().subList(0, 1),
                spec(CLUSTER).credentials(), null);

        assertThat(records().clusters().create(other)).isFalse();
        assertThat(newSession().read(CLUSTER).spec()).contains(spec(CLUSTER));
    }

    @Test
    default void update_changesIt_andAThrowingChangeLeavesIt() {
        Clusters clusters = records().clusters();
        clusters.create(spec(CLUSTER));
        ClusterSpec one = spec(CLUSTER).withInstances(spec(CLUSTER).instances().subList(0, 1));

        assertThat(clusters.update(CLUSTER, s -> one)).contains(one);
        assertThatThrownBy(() -> clusters.update(CLUSTER, s -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(newSession().read(CLUSTER).spec()).contains(one);
        assertThat(clusters.update("nope", s -> one)).isEmpty();
    }

    @Test
    default void update_nullOrEqualOrRenamed_writesNothing() {
        Clusters clusters = records().clusters();
        clusters.create(spec(CLUSTER));

        assertThat(clusters.update(CLUSTER, s -> null)).contains(spec(CLUSTER));
        assertThat(clusters.update(CLUSTER, s -> spec(CLUSTER))).contains(spec(CLUSTER));
        assertThatThrownBy(() -> clusters.update(CLUSTER, s -> spec("payments")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rename");
        assertThat(newSession().read(CLUSTER).spec()).contains(spec(CLUSTER));
        assertThat(newSession().read("payments").spec()).isEmpty();
    }

    @Test
    default void delete_removesEverything_andFreesItsSlot() {
        RdsRecords records = records();
        ClusterStore store = newSession();
        int slot = records.clusters().claimSlot(CLUSTER).orElseThrow();
        records.clusters().create(spec(CLUSTER));
        store.appendEvent(CLUSTER, event(1));
        store.acquireLease(CLUSTER, "db-1");
        records.tags().update(CLUSTER, "cluster", t -> Map.of("env", "prod"));

        records.clusters().delete(CLUSTER);
        records.clusters().delete(CLUSTER);

        assertThat(records.clusters().names()).doesNotContain(CLUSTER);
        assertThat(store.read(CLUSTER).spec()).isEmpty();
        assertThat(store.read(CLUSTER).lease()).isEmpty();
        assertThat(store.events(CLUSTER, 10)).isEmpty();
        assertThat(records.tags().get(CLUSTER, "cluster")).isEmpty();
        assertThat(records.clusters().claimSlot("payments")).hasValue(slot);
    }

    @Test
    default void claimSlot_isPerClusterAndStable() {
        Clusters clusters = records().clusters();
        int a = clusters.claimSlot("a").orElseThrow();
        int b = records().clusters().claimSlot("b").orElseThrow();

        assertThat(a).isEqualTo(1);
        assertThat(b).isEqualTo(2);
        assertThat(clusters.claimSlot("a")).hasValue(a);
        for (int i = 3; i < DbClusterSettings.MAX_SLOTS; i++) {
            clusters.claimSlot("c" + i);
        }
        assertThat(clusters.claimSlot("one-too-many")).isEmpty();
    }

    @Test
    default void watch_seesCreateAndDelete() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (AutoCloseable w = records().clusters().watch(calls::incrementAndGet)) {
            records().clusters().create(spec(CLUSTER));
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 1);
            int afterCreate = calls.get();
            records().clusters().delete(CLUSTER);
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > afterCreate);
        }
    }

    @Test
    default void names_someWithoutSpec_listsOnlyThoseWithSpec() {
        Clusters clusters = records().clusters();
        assertThat(clusters.names()).isEmpty();
        clusters.create(spec("payments"));
        clusters.create(spec(CLUSTER));
        newSession().claimBootstrap("half-made", "db-1");

        assertThat(clusters.names()).containsExactly(CLUSTER, "payments");
    }
}
