package io.multiaz.api;

import io.multiaz.model.BackupStatus;
import io.multiaz.model.DbClusterSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.multiaz.api.FixedBackend.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DeleteDBCluster's final snapshot, DescribeDBClusterSnapshots and DeleteDBClusterSnapshot over an in-memory store. */
final class RdsClusterSnapshotsTest {
    private final FixedBackend backend = new FixedBackend();
    private final RdsActions actions = backend.actions();

    private String call(String action, String... params) {
        return FixedBackend.call(actions, action, params);
    }

    private String createMultiAz(String name) {
        return FixedBackend.createMultiAz(actions, name);
    }

    private io.multiaz.model.ClusterSpec spec(String name) {
        return backend.spec(name);
    }

    private void storeSnapshot(DbClusterSnapshot snapshot) {
        backend.records.clusterSnapshots().create(snapshot.identifier(), snapshot);
    }

    @Test
    void deleteDBCluster_finalSnapshot_recordedInSpecAndStoredCreating() {
        createMultiAz("orders");
        backend.makeAvailable("orders");
        String longest = "F" + "x".repeat(254);

        String xml = call("DeleteDBCluster", "DBClusterIdentifier", "orders", "FinalDBSnapshotIdentifier",
                "Orders-Final-1");

        assertThat(xml).contains("<Status>deleting</Status>");
        assertThat(spec("orders").rds().finalSnapshot()).isEqualTo("orders-final-1");
        assertThat(spec("orders").rds().retiring()).hasSize(3);
        assertThat(call("DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "orders-final-1")).contains(
                "<DBClusterSnapshotIdentifier>orders-final-1</DBClusterSnapshotIdentifier>",
                "<DBClusterIdentifier>orders</DBClusterIdentifier>", "<Status>creating</Status>",
                "<SnapshotType>manual</SnapshotType>", "<MasterUsername>dbadmin</MasterUsername>",
                "<EngineVersion>15.14</EngineVersion>", "<Port>5432</Port>", "<PercentProgress>0</PercentProgress>",
                "<AvailabilityZone>az-a</AvailabilityZone>", "<AvailabilityZone>az-c</AvailabilityZone>",
                "<SnapshotCreateTime>2025-01-03T12:00:00", "<ClusterCreateTime>2025-01-03T12:00:00",
                "<DBClusterSnapshotArn>arn:aws:rds:local-1:000000000000:cluster-snapshot:orders-final-1<");
        createMultiAz("web");
        backend.makeAvailable("web");
        call("DeleteDBCluster", "DBClusterIdentifier", "web", "FinalDBSnapshotIdentifier", longest);
        assertThat(backend.records.clusterSnapshots().get(longest.toLowerCase())).isPresent();
    }

    @Test
    void deleteDBCluster_finalSnapshotNameTaken_refusedAndClusterKept() {
        createMultiAz("orders");
        backend.makeAvailable("orders");
        createMultiAz("web");
        backend.makeAvailable("web");
        call("DeleteDBCluster", "DBClusterIdentifier", "orders", "FinalDBSnapshotIdentifier", "final");

        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "web", "FinalDBSnapshotIdentifier",
                "FINAL")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("DBClusterSnapshotAlreadyExistsFault"));
        assertThat(spec("web").rds().deleting()).isFalse();
        assertThat(backend.records.clusterSnapshots().get("final").orElseThrow().clusterIdentifier()).isEqualTo("orders");
    }

    @Test
    void deleteDBCluster_finalSnapshotOfClusterWithoutData_refusedSkipFinalSnapshotWorks() {
        createMultiAz("orders");
        call("CreateDBCluster", "DBClusterIdentifier", "web", "Engine", "postgres", "MasterUsername", "dbadmin",
                "MasterUserPassword", "secret-password-1");

        for (String cluster : List.of("orders", "web")) {
            assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", cluster,
                    "FinalDBSnapshotIdentifier", "final")).as(cluster).isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo("InvalidDBClusterStateFault");
                        assertThat(e.getMessage()).contains("SkipFinalSnapshot");
                    });
            assertThat(spec(cluster).rds().deleting()).isFalse();
        }
        assertThat(backend.records.clusterSnapshots().list()).isEmpty();
        call("DeleteDBCluster", "DBClusterIdentifier", "orders", "SkipFinalSnapshot", "true");
        assertThat(spec("orders").rds().finalSnapshot()).isNull();
    }

    @Test
    void describeDBClusterSnapshots_filtersTypesAndPages() {
        for (int k = 10; k < 35; k++) {
            storeSnapshot(snapshot("snap-" + k, k % 2 == 0 ? "orders" : "web", "available"));
        }

        String first = call("DescribeDBClusterSnapshots", "MaxRecords", "20");
        String rest = call("DescribeDBClusterSnapshots", "MaxRecords", "20", "Marker", "20");

        assertThat(first.split("<DBClusterSnapshot>", -1)).hasSize(21);
        assertThat(first).contains("<Marker>20</Marker>", "<DBClusterSnapshotIdentifier>snap-10<",
                "<AllocatedStorage>2</AllocatedStorage>", "<PercentProgress>100</PercentProgress>",
                "<LicenseModel>postgresql-license</LicenseModel>", "<EngineMode>provisioned</EngineMode>",
                "<StorageEncrypted>false</StorageEncrypted>");
        assertThat(rest.split("<DBClusterSnapshot>", -1)).hasSize(6);
        assertThat(rest).doesNotContain("<Marker>");
        assertThat(call("DescribeDBClusterSnapshots", "DBClusterIdentifier", "web").split("<DBClusterSnapshot>", -1))
                .hasSize(13);
        assertThat(call("DescribeDBClusterSnapshots", "Filters.Filter.1.Name", "db-cluster-snapshot-id",
                "Filters.Filter.1.Values.Value.1", "snap-11", "Filters.Filter.2.Name", "engine",
                "Filters.Filter.2.Values.Value.1", "postgres")).containsOnlyOnce("<DBClusterSnapshot>");
        assertThat(call("DescribeDBClusterSnapshots", "Filters.Filter.1.Name", "db-cluster-id",
                "Filters.Filter.1.Values.Value.1", "arn:aws:rds:local-1:000000000000:cluster:orders")
                .split("<DBClusterSnapshot>", -1)).hasSize(14);
        assertThat(call("DescribeDBClusterSnapshots", "SnapshotType", "automated")).doesNotContain("<DBClusterSnapshot>");
        assertThat(call("DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier",
                "arn:aws:rds:local-1:000000000000:cluster-snapshot:snap-12")).containsOnlyOnce("<DBClusterSnapshot>");
        record Bad(String code, String[] params) {
        }
        for (Bad bad : List.of(new Bad("DBClusterSnapshotNotFoundFault", new String[]{"DBClusterSnapshotIdentifier", "nope"}),
                new Bad("DBClusterSnapshotNotFoundFault", new String[]{"DBClusterSnapshotIdentifier", ".."}),
                new Bad("InvalidParameterValue", new String[]{"MaxRecords", "19"}),
                new Bad("InvalidParameterValue", new String[]{"SnapshotType", "daily"}),
                new Bad("InvalidParameterValue", new String[]{"Filters.Filter.1.Name", "status",
                        "Filters.Filter.1.Values.Value.1", "available"}),
                new Bad("InvalidParameterCombination", new String[]{"DBClusterSnapshotIdentifier", "snap-10",
                        "DBClusterIdentifier", "orders"}))) {
            assertThatThrownBy(() -> call("DescribeDBClusterSnapshots", bad.params())).as(List.of(bad.params()).toString())
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
    }

    @Test
    void createDBClusterSnapshot_availableCluster_storedCreatingInTheClustersStanza() {
        createMultiAz("orders");
        backend.makeAvailable("orders");

        String xml = call("CreateDBClusterSnapshot", "DBClusterIdentifier", "orders", "DBClusterSnapshotIdentifier",
                "Before-Upgrade");

        assertThat(xml).contains("<CreateDBClusterSnapshotResult><DBClusterSnapshot>",
                "<DBClusterSnapshotIdentifier>before-upgrade<", "<Status>creating<", "<PercentProgress>0<",
                "<SnapshotType>manual<", "<DBClusterIdentifier>orders<");
        DbClusterSnapshot stored = backend.records.clusterSnapshots().get("before-upgrade").orElseThrow();
        assertThat(stored.stanza()).isEqualTo(spec("orders").backupStanza());
        assertThat(stored.inRepository()).isTrue();
        assertThat(stored.backupLabel()).isNull();
    }

    @Test
    void createDBClusterSnapshot_badInput_refusedWithRdsCodesAndNothingStored() {
        createMultiAz("orders");
        backend.makeAvailable("orders");
        createMultiAz("web");
        call("CreateDBClusterSnapshot", "DBClusterIdentifier", "orders", "DBClusterSnapshotIdentifier", "taken");
        record Bad(String code, String[] params) {
        }
        for (Bad bad : List.of(
                new Bad("DBClusterNotFoundFault", new String[]{"DBClusterIdentifier", "nope",
                        "DBClusterSnapshotIdentifier", "s1"}),
                new Bad("InvalidDBClusterStateFault", new String[]{"DBClusterIdentifier", "web",
                        "DBClusterSnapshotIdentifier", "s1"}),
                new Bad("DBClusterSnapshotAlreadyExistsFault", new String[]{"DBClusterIdentifier", "orders",
                        "DBClusterSnapshotIdentifier", "Taken"}),
                new Bad("InvalidParameterValue", new String[]{"DBClusterIdentifier", "orders",
                        "DBClusterSnapshotIdentifier", "1st"}),
                new Bad("InvalidParameterValue", new String[]{"DBClusterIdentifier", "orders",
                        "DBClusterSnapshotIdentifier", "a--b"}),
                new Bad("MissingParameter", new String[]{"DBClusterIdentifier", "orders"}))) {
            assertThatThrownBy(() -> call("CreateDBClusterSnapshot", bad.params())).as(List.of(bad.params()).toString())
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.records.clusterSnapshots().list()).extracting(DbClusterSnapshot::identifier)
                .containsExactly("taken");
        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "orders", "SkipFinalSnapshot", "true"))
                .as("a cluster being snapshotted").isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidDBClusterStateFault");
                    assertThat(e.getMessage()).contains("taken", "wait");
                });
        assertThat(spec("orders").rds().deleting()).isFalse();
    }

    @Test
    void createDBClusterSnapshot_quotaReached_snapshotQuotaExceeded() {
        createMultiAz("orders");
        backend.makeAvailable("orders");
        for (int k = 0; k < RdsClusterSnapshots.MANUAL_QUOTA; k++) {
            storeSnapshot(snapshot("snap-" + k, "orders", "available"));
        }

        assertThatThrownBy(() -> call("CreateDBClusterSnapshot", "DBClusterIdentifier", "orders",
                "DBClusterSnapshotIdentifier", "one-more")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("SnapshotQuotaExceeded"));
        assertThat(backend.records.clusterSnapshots().get("one-more")).isEmpty();
    }

    @Test
    void automatedBackups_listedAsAutomatedSnapshotsAndAsTheRestorableWindow() {
        createMultiAz("orders");
        backend.makeAvailable("orders");
        storeSnapshot(snapshot("snap-10", "orders", "available"));
        java.time.Instant start = java.time.Instant.parse("2026-12-02T03:00:05Z");
        backend.records.backups().create("orders", new BackupStatus("orders", "orders-1", "az-a", NOW,
                start.plusSeconds(40), java.time.Instant.parse("2026-12-03T12:00:00Z"), null, null, null,
                List.of(new BackupStatus.Backup("20261202-030005F", "full", start, start.plusSeconds(40), 30 << 20,
                        4 << 20), new BackupStatus.Backup("20261202-030005F_20261203-030010D", "diff",
                        start.plusSeconds(86405), start.plusSeconds(86420), 30 << 20, 1 << 20)), null, null));

        String automated = call("DescribeDBClusterSnapshots", "SnapshotType", "automated");
        String all = call("DescribeDBClusterSnapshots", "DBClusterIdentifier", "orders");
        String one = call("DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "rds:orders-2026-12-03-03-00");

        assertThat(automated.split("<DBClusterSnapshot>", -1)).hasSize(3);
        assertThat(automated).contains("<DBClusterSnapshotIdentifier>rds:orders-2026-12-02-03-00<",
                "<DBClusterSnapshotIdentifier>rds:orders-2026-12-03-03-00<", "<SnapshotType>automated<",
                "<Status>available<", "<SnapshotCreateTime>2026-12-02T03:00:45").doesNotContain("snap-10");
        assertThat(all.split("<DBClusterSnapshot>", -1)).hasSize(4);
        assertThat(one).containsOnlyOnce("<DBClusterSnapshot>").contains("rds:orders-2026-12-03-03-00");
        assertThat(call("DescribeDBClusters", "DBClusterIdentifier", "orders")).contains(
                "<EarliestRestorableTime>2026-12-02T03:00:45", "<LatestRestorableTime>2026-12-03T12:00:00");
        assertThatThrownBy(() -> call("DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "rds:orders-1999"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("DBClusterSnapshotNotFoundFault"));
    }

    @Test
    void deleteDBClusterSnapshot_availableMarkedDeleting_othersRefused() {
        storeSnapshot(snapshot("done", "orders", "available"));
        storeSnapshot(snapshot("taking", "web", "creating"));

        String xml = call("DeleteDBClusterSnapshot", "DBClusterSnapshotIdentifier", "Done");

        assertThat(xml).contains("<DeleteDBClusterSnapshotResult><DBClusterSnapshot>",
                "<DBClusterSnapshotIdentifier>done</DBClusterSnapshotIdentifier>", "<Status>deleting</Status>");
        assertThat(backend.records.clusterSnapshots().get("done").orElseThrow().status()).isEqualTo("deleting");
        for (String[] bad : List.of(new String[]{"done", "InvalidDBClusterSnapshotStateFault"},
                new String[]{"taking", "InvalidDBClusterSnapshotStateFault"},
                new String[]{"nope", "DBClusterSnapshotNotFoundFault"})) {
            assertThatThrownBy(() -> call("DeleteDBClusterSnapshot", "DBClusterSnapshotIdentifier", bad[0])).as(bad[0])
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad[1]));
        }
        assertThat(backend.records.clusterSnapshots().get("taking").orElseThrow().status()).isEqualTo("creating");
    }

    private static DbClusterSnapshot snapshot(String id, String cluster, String status) {
        return new DbClusterSnapshot(id, cluster, "postgres", "15.14", NOW, NOW, "dbadmin", 5432,
                List.of("az-a", "az-b", "az-c"), "az-a", "127.0.0.1", status, (1L << 30) + 1, "manual");
    }
}
