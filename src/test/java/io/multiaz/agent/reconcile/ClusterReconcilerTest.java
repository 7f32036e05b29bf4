package io.multiaz.agent.reconcile;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.DbClusterSettings;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.Fence;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.Clusters;
import io.multiaz.store.InMemoryClusterStore;
import io.multiaz.store.InMemoryEnsemble;
import io.multiaz.store.Records;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler's decisions over the in-memory store, with fake runners: passes run on the
 * calling thread (a direct executor), so every store write the test makes is reconciled before the
 * write returns; no timers, no sleeps.
 */
final class ClusterReconcilerTest {
    private static final Credentials CREDENTIALS =
            new Credentials("multiaz_admin", "su-secret", "replicator", "repl-secret", "admin", "master-secret");

    private final InMemoryEnsemble backend = new InMemoryEnsemble();
    private final InMemoryClusterStore store = new InMemoryClusterStore(backend);
    private final Clusters clusters = backend.clusters();
    private final Records<DbClusterSnapshot> snapshots = backend.records().clusterSnapshots();
    private final FakeInstances instances = new FakeInstances();
    private final FakeEndpoints endpoints = new FakeEndpoints();
    private final ClusterReconciler reconciler = new ClusterReconciler(store, clusters, snapshots, "az-a", instances,
            java.util.List.of(endpoints), Runnable::run);

    /** A cluster in {@code slot} with {@code name}-1..3 in az-a, az-b, az-c. */
    private static ClusterSpec cluster(String name, int slot) {
        return new ClusterSpec(name, "app", 1, List.of(instance(name + "-1", "az-a", 0), instance(name + "-2", "az-b", 1),
                instance(name + "-3", "az-c", 2)), CREDENTIALS, Map.of(), settings(slot));
    }

    private static DbClusterSettings settings(int slot) {
        return new DbClusterSettings(slot, "db.m6gd.large", null, null, 1, null, null, false,
                Instant.parse("2026-01-01T00:00:00Z"), false, List.of());
    }

    private static InstanceSpec instance(String name, String az, int ordinal) {
        return new InstanceSpec(name, az, "127.0.0.1", 7000 + ordinal, null, ordinal);
    }

    /** What the API's DeleteDBInstance writes: {@code name} moves from the instances to retiring. */
    private void deleteInstance(String cluster, String name) {
        clusters.update(cluster, s -> {
            InstanceSpec gone = s.instance(name).orElseThrow();
            return s.withInstances(s.others(name)).withRds(s.rds().withRetiring(
                    Stream.concat(s.rds().retiring().stream(), Stream.of(gone)).toList()));
        });
    }

    /** What the API's DeleteDBCluster writes: deleting, every instance retiring. */
    private void deleteCluster(String cluster) {
        clusters.update(cluster, s -> s.withInstances(List.of()).withRds(s.rds().withDeleting(true)
                .withRetiring(Stream.concat(s.rds().retiring().stream(), s.instances().stream()).toList())));
    }

    /** What the API's DeleteDBCluster writes with FinalDBSnapshotIdentifier: the snapshot's record, then the spec. */
    private void deleteClusterWithFinalSnapshot(String cluster, String snapshot) {
        snapshots.create(snapshot, snapshotRecord(snapshot, cluster, null, DbClusterSnapshot.CREATING));
        clusters.update(cluster, s -> s.withInstances(List.of()).withRds(s.rds().withDeleting(true)
                .withRetiring(Stream.concat(s.rds().retiring().stream(), s.instances().stream()).toList())
                .withFinalSnapshot(snapshot)));
    }

    private static DbClusterSnapshot snapshotRecord(String id, String cluster, String az, String status) {
        return new DbClusterSnapshot(id, cluster, "postgres", "16.4", Instant.parse("2026-01-02T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), "admin", 5432, List.of("az-a", "az-b", "az-c"), az,
                az == null ? null : "127.0.0.1", status, 0, "manual");
    }

    private ClusterSpec spec(String cluster) {
        return store.read(cluster).spec().orElseThrow();
    }

    @Test
    void start_clusterWithInstancesInThreeZones_startsOnlyMyZonesAndItsEndpoints() {
        clusters.create(cluster("app", 1));

        reconciler.start();

        assertThat(instances.started).containsExactly("app/app-1");
        assertThat(endpoints.started).containsExactly("app");
    }

    @Test
    void watchClusters_clusterCreatedWhileRunning_startsItsInstanceAtOnce() {
        reconciler.start();

        clusters.create(cluster("app", 1));

        assertThat(instances.started).containsExactly("app/app-1");
        assertThat(endpoints.started).containsExactly("app");
    }

    @Test
    void reconcile_everyClusterInTheStore_oneInstanceAndOneEndpointControllerEach() {
        clusters.create(cluster("app", 1));
        clusters.create(cluster("billing", 2));
        reconciler.start();

        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(instances.started).containsExactlyInAnyOrder("app/app-1", "billing/billing-1");
        assertThat(endpoints.started).containsExactlyInAnyOrder("app", "billing");
    }

    @Test
    void watch_auroraFormInstancesAddedLater_startsMineIgnoresOthers() {
        clusters.create(cluster("app", 1).withInstances(List.of()));
        reconciler.start();
        assertThat(instances.started).isEmpty();
        assertThat(endpoints.started).containsExactly("app");

        clusters.update("app", s -> s.withInstances(List.of(instance("app-1", "az-b", 0))));
        assertThat(instances.started).isEmpty();
        clusters.update("app", s -> s.withInstances(List.of(instance("app-1", "az-b", 0), instance("app-2", "az-a", 1))));

        assertThat(instances.started).containsExactly("app/app-2");
    }

    @Test
    void watch_instanceMovedToRetiring_stoppedRemovedAndDroppedFromRetiring() {
        clusters.create(cluster("app", 1));
        reconciler.start();

        deleteInstance("app", "app-1");

        assertThat(instances.stopped).containsExactly("app/app-1");
        assertThat(instances.removed).containsExactly("app/app-1");
        assertThat(spec("app").rds().retiring()).isEmpty();
        assertThat(spec("app").instances()).extracting(InstanceSpec::name).containsExactly("app-2", "app-3");
        assertThat(endpoints.closed).isEmpty();
    }

    @Test
    void reconcile_otherZonesRetiringInstance_leftForItsOwnAgent() {
        clusters.create(cluster("app", 1));
        reconciler.start();

        deleteInstance("app", "app-2");

        assertThat(instances.stopped).isEmpty();
        assertThat(instances.removed).isEmpty();
        assertThat(spec("app").rds().retiring()).extracting(InstanceSpec::name).containsExactly("app-2");
    }

    @Test
    void reconcile_removalFails_keptInRetiringAndRetriedNextPass() {
        clusters.create(cluster("app", 1));
        reconciler.start();
        instances.failRemove.add("app/app-1");

        deleteInstance("app", "app-1");

        assertThat(instances.stopped).containsExactly("app/app-1");
        assertThat(spec("app").rds().retiring()).extracting(InstanceSpec::name).containsExactly("app-1");
        instances.failRemove.clear();
        reconciler.reconcile();
        assertThat(instances.removed).containsExactly("app/app-1");
        assertThat(instances.stopped).containsExactly("app/app-1");
        assertThat(instances.started).containsExactly("app/app-1");
        assertThat(spec("app").rds().retiring()).isEmpty();
    }

    @Test
    void start_retiringInstanceOfMyZoneNotRunning_removedAndDroppedFromRetiring() {
        // the agent restarted in the middle of a DeleteDBInstance
        clusters.create(cluster("app", 1));
        deleteInstance("app", "app-1");

        reconciler.start();

        assertThat(instances.started).isEmpty();
        assertThat(instances.stopped).isEmpty();
        assertThat(instances.removed).containsExactly("app/app-1");
        assertThat(spec("app").rds().retiring()).isEmpty();
    }

    @Test
    void watch_deletingCluster_stopsMineAndDeletesTheClusterWhenTheLastRetiringIsGone() {
        clusters.create(cluster("app", 1));
        Clusters otherAgent = backend.clusters();
        reconciler.start();

        deleteCluster("app");

        assertThat(instances.stopped).containsExactly("app/app-1");
        assertThat(instances.removed).containsExactly("app/app-1");
        assertThat(spec("app").rds().retiring()).extracting(InstanceSpec::name).containsExactly("app-2", "app-3");
        assertThat(endpoints.closed).isEmpty();

        // the agents of az-b and az-c finish theirs
        otherAgent.update("app", s -> s.withRds(s.rds().withRetiring(List.of(s.rds().retiring().get(1)))));
        assertThat(clusters.names()).containsExactly("app");
        otherAgent.update("app", s -> s.withRds(s.rds().withRetiring(List.of())));

        assertThat(clusters.names()).isEmpty();
        assertThat(endpoints.closed).containsExactly("app");
        assertThat(endpoints.removed).containsExactly("app");
    }

    @Test
    void watch_writerOfDeletingClusterWithFinalSnapshot_stoppedCleanlyFilesMovedRecordAvailableThenClusterDeleted() {
        clusters.create(cluster("app", 1));
        store.writeFence("app", new Fence("app-1", 3, -1), -1);
        Clusters otherAgent = backend.clusters();
        reconciler.start();

        deleteClusterWithFinalSnapshot("app", "app-final");

        assertThat(instances.stoppedCleanly).containsExactly("app/app-1");
        assertThat(instances.stopped).isEmpty();
        assertThat(instances.snapshots).containsExactly("app/app-1 -> app-final");
        DbClusterSnapshot record = snapshots.get("app-final").orElseThrow();
        assertThat(record.status()).isEqualTo("available");
        assertThat(record.az()).isEqualTo("az-a");
        assertThat(record.host()).isEqualTo("127.0.0.1");
        assertThat(record.engineVersion()).isEqualTo("16.4");
        assertThat(record.allocatedStorage()).isEqualTo(5);
        assertThat(spec("app").rds().retiring()).extracting(InstanceSpec::name).containsExactly("app-2", "app-3");

        otherAgent.update("app", s -> s.withRds(s.rds().withRetiring(List.of())));

        assertThat(clusters.names()).isEmpty();
        assertThat(snapshots.get("app-final")).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo("available"));
        assertThat(instances.removedSnapshots).isEmpty();
    }

    @Test
    void watch_readerOfDeletingClusterWithFinalSnapshot_stoppedAndRemovedAsWithout() {
        clusters.create(cluster("app", 1));
        store.writeFence("app", new Fence("app-2", 1, -1), -1);
        reconciler.start();

        deleteClusterWithFinalSnapshot("app", "app-final");

        assertThat(instances.stopped).containsExactly("app/app-1");
        assertThat(instances.removed).containsExactly("app/app-1");
        assertThat(instances.snapshots).isEmpty();
        assertThat(snapshots.get("app-final")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo("creating");
            assertThat(r.az()).isNull();
        });
        // the writer's agent (az-b) keeps app-2 retiring until its snapshot is available
        assertThat(spec("app").rds().retiring()).extracting(InstanceSpec::name).containsExactly("app-2", "app-3");
    }

    @Test
    void reconcile_finalSnapshotFails_writerKeptInRetiringRecordCreatingRetriedNextPass() {
        clusters.create(cluster("app", 1));
        store.writeFence("app", new Fence("app-1", 1, -1), -1);
        reconciler.start();
        instances.failSnapshot = true;

        deleteClusterWithFinalSnapshot("app", "app-final");

        assertThat(instances.removed).isEmpty();
        assertThat(snapshots.get("app-final")).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo("creating");
            assertThat(r.az()).isEqualTo("az-a");
        });
        assertThat(spec("app").rds().retiring()).extracting(InstanceSpec::name).contains("app-1");
        instances.failSnapshot = false;
        reconciler.reconcile();
        assertThat(instances.snapshots).containsExactly("app/app-1 -> app-final");
        assertThat(snapshots.get("app-final").orElseThrow().status()).isEqualTo("available");
        assertThat(spec("app").rds().retiring()).extracting(InstanceSpec::name).containsExactly("app-2", "app-3");
    }

    @Test
    void reconcile_snapshotMarkedDeleting_filesInMyZoneRemovedThenRecord_othersLeft() {
        snapshots.create("mine", snapshotRecord("mine", "gone", "az-a", DbClusterSnapshot.DELETING));
        snapshots.create("theirs", snapshotRecord("theirs", "gone", "az-b", DbClusterSnapshot.DELETING));
        snapshots.create("kept", snapshotRecord("kept", "gone", "az-a", DbClusterSnapshot.AVAILABLE));

        reconciler.start();

        assertThat(instances.removedSnapshots).containsExactly("mine");
        assertThat(snapshots.list()).extracting(DbClusterSnapshot::identifier)
                .containsExactly("kept", "theirs");
    }

    @Test
    void watchClusters_clusterDeletedByAnotherAgent_closesItsEndpoints() {
        clusters.create(cluster("app", 1));
        ClusterSpec emptied = cluster("app", 1).withInstances(List.of()).withRds(settings(1).withDeleting(true));
        reconciler.start();
        deleteCluster("app");
        clusters.update("app", s -> s.withRds(s.rds().withRetiring(List.of(s.rds().retiring().get(1)))));
        assertThat(clusters.names()).containsExactly("app");

        // another agent saw the last retiring instance go first and deleted the cluster
        clusters.delete("app");

        assertThat(emptied.rds().deleting()).isTrue();
        assertThat(endpoints.closed).containsExactly("app");
        assertThat(endpoints.removed).containsExactly("app");
        assertThat(instances.stopped).containsExactly("app/app-1");
    }

    @Test
    void watchClusters_clusterVanishedWithoutDeletion_stopsItsInstanceButKeepsItsFiles() {
        clusters.create(cluster("app", 1));
        reconciler.start();

        clusters.delete("app");

        assertThat(instances.stopped).containsExactly("app/app-1");
        assertThat(instances.removed).isEmpty();
        assertThat(endpoints.closed).containsExactly("app");
    }

    @Test
    void reconcile_endpointsFailToStart_retriedNextPassAndStartedOnce() {
        clusters.create(cluster("app", 1));
        endpoints.failStart = true;
        reconciler.start();
        assertThat(endpoints.started).isEmpty();

        endpoints.failStart = false;
        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(endpoints.started).containsExactly("app");
    }

    @Test
    void reconcile_instanceFailsToStart_retriedNextPass() {
        clusters.create(cluster("app", 1));
        instances.failStart = true;
        reconciler.start();
        assertThat(instances.started).isEmpty();

        instances.failStart = false;
        reconciler.reconcile();

        assertThat(instances.started).containsExactly("app/app-1");
    }

    @Test
    void close_stopsEndpointsLeavesInstancesAndIgnoresLaterChanges() {
        clusters.create(cluster("app", 1));
        reconciler.start();

        reconciler.close();
        clusters.create(cluster("billing", 2));

        assertThat(endpoints.closed).containsExactly("app");
        assertThat(instances.stopped).isEmpty();
        assertThat(instances.started).containsExactly("app/app-1");
    }
}
