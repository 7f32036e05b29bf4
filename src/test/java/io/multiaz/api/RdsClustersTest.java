package io.multiaz.api;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.MemberState;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster and instance lifecycle calls over an in-memory store: what they write, and what they refuse. */
final class RdsClustersTest {
    private static final Instant NOW = Instant.parse("2025-01-03T12:00:00Z");
    private final RdsActionsTest.FixedBackend backend = new RdsActionsTest.FixedBackend();
    private final RdsActions actions = new RdsActions(backend, Clock.fixed(NOW, ZoneOffset.UTC));

    private String call(String action, String... params) {
        return RdsActionsTest.call(actions, action, params);
    }

    private String createMultiAz(String name, String... more) {
        List<String> p = new ArrayList<>(List.of("DBClusterIdentifier", name, "Engine", "postgres",
                "MasterUsername", "dbadmin", "MasterUserPassword", "secret-password-1",
                "DBClusterInstanceClass", "db.m6gd.large", "AllocatedStorage", "100"));
        p.addAll(List.of(more));
        return call("CreateDBCluster", p.toArray(String[]::new));
    }

    private ClusterSpec spec(String name) {
        return backend.store.read(name).spec().orElseThrow();
    }

    @Test
    void createDBCluster_multiAzForm_placesThreeInstancesInThreeZones() {
        String xml = createMultiAz("Orders", "Tags.Tag.1.Key", "team", "Tags.Tag.1.Value", "payments",
                "DeletionProtection", "true", "BackupRetentionPeriod", "7");

        ClusterSpec s = spec("orders");
        assertThat(s.instances()).extracting(InstanceSpec::name)
                .containsExactly("orders-instance-1", "orders-instance-2", "orders-instance-3");
        assertThat(s.instances()).extracting(InstanceSpec::az).containsExactly("az-a", "az-b", "az-c");
        assertThat(s.instances()).extracting(InstanceSpec::port).containsExactly(7016, 7017, 7018);
        assertThat(s.syncQuorum()).isEqualTo(1);
        assertThat(s.rds().slot()).isEqualTo(1);
        assertThat(s.rds().instanceClass()).isEqualTo("db.m6gd.large");
        assertThat(s.rds().deletionProtection()).isTrue();
        assertThat(s.credentials().masterUser()).isEqualTo("dbadmin");
        assertThat(s.credentials().masterPassword()).isEqualTo("secret-password-1");
        assertThat(xml).contains("<DBClusterIdentifier>orders</DBClusterIdentifier>", "<Status>creating</Status>",
                "<Endpoint>127.77.1.17</Endpoint>", "<ReaderEndpoint>127.77.1.18</ReaderEndpoint>",
                "<DBClusterInstanceClass>db.m6gd.large</DBClusterInstanceClass>",
                "<BackupRetentionPeriod>7</BackupRetentionPeriod>", "<DeletionProtection>true</DeletionProtection>",
                "<Key>team</Key><Value>payments</Value>");
        assertThat(call("DescribeDBClusters")).contains("<DBClusterIdentifier>demo</DBClusterIdentifier>",
                "<DBClusterIdentifier>orders</DBClusterIdentifier>");
        assertThat(call("DescribeDBInstances", "Filters.Filter.1.Name", "db-cluster-id",
                "Filters.Filter.1.Values.Value.1", "orders"))
                .contains("<DBInstanceIdentifier>orders-instance-2</DBInstanceIdentifier>",
                        "<DBInstanceClass>db.m6gd.large</DBInstanceClass>",
                        "<Address>127.77.1.20</Address>")
                .doesNotContain("demo-1");
    }

    @Test
    void createDBCluster_badInput_refusedAndNothingWritten() {
        record Bad(String code, String[] params) {
        }
        String[] base = {"Engine", "postgres", "MasterUsername", "dbadmin", "MasterUserPassword", "secret-password-1"};
        List<Bad> table = List.of(
                new Bad("MissingParameter", new String[]{"Engine", "postgres"}),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "1abc"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "a--b"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "abc-"}, base)),
                new Bad("InvalidParameterValue", new String[]{"DBClusterIdentifier", "x", "Engine", "mysql",
                        "MasterUsername", "dbadmin", "MasterUserPassword", "secret-password-1"}),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x", "EngineVersion", "9.6"},
                        base)),
                new Bad("InvalidParameterValue", new String[]{"DBClusterIdentifier", "x", "Engine", "postgres",
                        "MasterUsername", "postgres", "MasterUserPassword", "secret-password-1"}),
                new Bad("InvalidParameterValue", new String[]{"DBClusterIdentifier", "x", "Engine", "postgres",
                        "MasterUsername", "dbadmin", "MasterUserPassword", "short"}),
                new Bad("InvalidParameterValue", new String[]{"DBClusterIdentifier", "x", "Engine", "postgres",
                        "MasterUsername", "dbadmin"}),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x",
                        "DBClusterInstanceClass", "db.huge.9xl"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x", "Port", "6000"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x",
                        "BackupRetentionPeriod", "0"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x",
                        "PreferredBackupWindow", "25:00-26:00"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x",
                        "PreferredMaintenanceWindow", "funday:05:00-sun:05:30"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x",
                        "DBClusterInstanceClass", "db.m6gd.large", "AvailabilityZones.AvailabilityZone.1", "az-a",
                        "AvailabilityZones.AvailabilityZone.2", "az-b"}, base)),
                new Bad("InvalidParameterValue", concat(new String[]{"DBClusterIdentifier", "x",
                        "AvailabilityZones.AvailabilityZone.1", "us-east-1a"}, base)),
                new Bad("InvalidParameterCombination", concat(new String[]{"DBClusterIdentifier", "x",
                        "StorageEncrypted", "true"}, base)),
                new Bad("InvalidParameterCombination", concat(new String[]{"DBClusterIdentifier", "x",
                        "ManageMasterUserPassword", "true"}, base)),
                new Bad("DBSubnetGroupNotFoundFault", concat(new String[]{"DBClusterIdentifier", "x",
                        "DBSubnetGroupName", "nope"}, base)),
                new Bad("DBClusterParameterGroupNotFound", concat(new String[]{"DBClusterIdentifier", "x",
                        "DBClusterParameterGroupName", "nope"}, base)),
                new Bad("DBClusterAlreadyExistsFault", concat(new String[]{"DBClusterIdentifier", "Demo"}, base)));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call("CreateDBCluster", bad.params())).as(List.of(bad.params()).toString())
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.store.clusters()).isEmpty();
    }

    @Test
    void auroraForm_instancesAddedOneByOne_spreadOverZones() {
        call("CreateDBCluster", "DBClusterIdentifier", "web", "Engine", "postgres", "MasterUsername", "dbadmin",
                "MasterUserPassword", "secret-password-1");
        assertThat(call("DescribeDBClusters", "DBClusterIdentifier", "web")).contains("<Status>available</Status>")
                .doesNotContain("DBClusterInstanceClass");

        call("CreateDBInstance", "DBInstanceIdentifier", "web-1", "DBInstanceClass", "db.r6gd.large",
                "Engine", "postgres", "DBClusterIdentifier", "web");
        call("CreateDBInstance", "DBInstanceIdentifier", "web-2", "DBInstanceClass", "db.t3.micro",
                "Engine", "postgres", "DBClusterIdentifier", "web");
        String third = call("CreateDBInstance", "DBInstanceIdentifier", "web-3", "DBInstanceClass", "db.t3.micro",
                "Engine", "postgres", "DBClusterIdentifier", "web", "AvailabilityZone", "az-a");

        ClusterSpec s = spec("web");
        assertThat(s.instances()).extracting(InstanceSpec::az).containsExactly("az-a", "az-b", "az-a");
        assertThat(s.instances()).extracting(InstanceSpec::ordinal).containsExactly(0, 1, 2);
        assertThat(s.instances()).extracting(InstanceSpec::instanceClass)
                .containsExactly("db.r6gd.large", "db.t3.micro", "db.t3.micro");
        assertThat(s.syncQuorum()).isEqualTo(1);
        assertThat(third).contains("<DBInstanceIdentifier>web-3</DBInstanceIdentifier>",
                "<DBInstanceStatus>creating</DBInstanceStatus>", "<AvailabilityZone>az-a</AvailabilityZone>");
        assertThatThrownBy(() -> call("CreateDBInstance", "DBInstanceIdentifier", "web-3", "DBInstanceClass",
                "db.t3.micro", "Engine", "postgres", "DBClusterIdentifier", "web"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("DBInstanceAlreadyExists"));
        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "web", "SkipFinalSnapshot", "true"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidDBClusterStateFault"));

        String deleting = call("DeleteDBInstance", "DBInstanceIdentifier", "web-2");

        assertThat(deleting).contains("<DBInstanceStatus>deleting</DBInstanceStatus>");
        assertThat(spec("web").instances()).extracting(InstanceSpec::name).containsExactly("web-1", "web-3");
        assertThat(spec("web").rds().retiring()).extracting(InstanceSpec::name).containsExactly("web-2");
        assertThat(spec("web").syncQuorum()).isEqualTo(1);
        assertThatThrownBy(() -> call("DeleteDBInstance", "DBInstanceIdentifier", "web-2"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidDBInstanceState"));
        // a new instance does not take the ordinal (endpoint address) of one still being deleted
        call("CreateDBInstance", "DBInstanceIdentifier", "web-4", "DBInstanceClass", "db.t3.micro",
                "Engine", "postgres", "DBClusterIdentifier", "web");
        assertThat(spec("web").instance("web-4").orElseThrow().ordinal()).isEqualTo(3);
    }

    @Test
    void createDBInstance_badInput_refusedAndNothingWritten() {
        createMultiAz("orders");
        call("CreateDBCluster", "DBClusterIdentifier", "web", "Engine", "postgres", "MasterUsername", "dbadmin",
                "MasterUserPassword", "secret-password-1");
        record Bad(String code, String[] params) {
        }
        List<Bad> table = List.of(
                new Bad("InvalidParameterValue", new String[]{"DBInstanceIdentifier", "w1", "DBInstanceClass",
                        "db.nope", "Engine", "postgres", "DBClusterIdentifier", "web"}),
                new Bad("InvalidParameterCombination", new String[]{"DBInstanceIdentifier", "w1", "DBInstanceClass",
                        "db.t3.micro", "Engine", "postgres"}),
                new Bad("DBClusterNotFoundFault", new String[]{"DBInstanceIdentifier", "w1", "DBInstanceClass",
                        "db.t3.micro", "Engine", "postgres", "DBClusterIdentifier", "nope"}),
                new Bad("InvalidParameterCombination", new String[]{"DBInstanceIdentifier", "w1", "DBInstanceClass",
                        "db.t3.micro", "Engine", "postgres", "DBClusterIdentifier", "orders"}),
                new Bad("InvalidParameterCombination", new String[]{"DBInstanceIdentifier", "w1", "DBInstanceClass",
                        "db.t3.micro", "Engine", "postgres", "DBClusterIdentifier", "web", "MasterUsername", "x"}),
                new Bad("InvalidParameterValue", new String[]{"DBInstanceIdentifier", "w1", "DBInstanceClass",
                        "db.t3.micro", "Engine", "postgres", "DBClusterIdentifier", "web", "AvailabilityZone", "az-z"}),
                new Bad("DBInstanceAlreadyExists", new String[]{"DBInstanceIdentifier", "orders-instance-1",
                        "DBInstanceClass", "db.t3.micro", "Engine", "postgres", "DBClusterIdentifier", "web"}));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call("CreateDBInstance", bad.params())).as(List.of(bad.params()).toString())
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(spec("web").instances()).isEmpty();
        assertThatThrownBy(() -> call("DeleteDBInstance", "DBInstanceIdentifier", "orders-instance-1"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidDBClusterStateFault"));
        assertThat(spec("orders").instances()).hasSize(3);
    }

    @Test
    void deleteDBCluster_protectionAndFinalSnapshotRules_thenDeleting() {
        createMultiAz("orders", "DeletionProtection", "true");
        assertThatThrownBy(() -> call("ModifyDBCluster", "DBClusterIdentifier", "orders", "DeletionProtection",
                "false")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidDBClusterStateFault"));
        makeAvailable("orders");

        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "orders", "SkipFinalSnapshot", "true"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidDBClusterStateFault"));
        call("ModifyDBCluster", "DBClusterIdentifier", "orders", "DeletionProtection", "false");
        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "orders"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterCombination"));
        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "orders",
                "FinalDBSnapshotIdentifier", "last", "SkipFinalSnapshot", "true"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterCombination"));
        assertThat(spec("orders").instances()).hasSize(3);

        String xml = call("DeleteDBCluster", "DBClusterIdentifier", "orders", "SkipFinalSnapshot", "true");

        assertThat(xml).contains("<Status>deleting</Status>");
        assertThat(spec("orders").instances()).isEmpty();
        assertThat(spec("orders").rds().deleting()).isTrue();
        assertThat(spec("orders").rds().retiring()).hasSize(3);
        assertThat(call("DescribeDBInstances", "DBInstanceIdentifier", "orders-instance-1"))
                .contains("<DBInstanceStatus>deleting</DBInstanceStatus>");
        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "orders", "SkipFinalSnapshot", "true"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidDBClusterStateFault"));
        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "nope", "SkipFinalSnapshot", "true"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("DBClusterNotFoundFault"));
    }

    @Test
    void deleteDBCluster_badFinalSnapshotIdentifier_refusedAndNothingWritten() {
        createMultiAz("orders");
        makeAvailable("orders");
        for (String bad : List.of("1final", "final--1", "final-", "final_1", "f" + "x".repeat(255))) {
            assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "orders",
                    "FinalDBSnapshotIdentifier", bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        }
        assertThat(spec("orders").rds().deleting()).isFalse();
        assertThat(backend.store.clusterSnapshots()).isEmpty();
    }

    @Test
    void deleteDBCluster_finalSnapshot_recordedInSpecAndStoredCreating() {
        createMultiAz("orders");
        makeAvailable("orders");
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
        makeAvailable("web");
        call("DeleteDBCluster", "DBClusterIdentifier", "web", "FinalDBSnapshotIdentifier", longest);
        assertThat(backend.store.clusterSnapshot(longest.toLowerCase())).isPresent();
    }

    @Test
    void deleteDBCluster_finalSnapshotNameTaken_refusedAndClusterKept() {
        createMultiAz("orders");
        makeAvailable("orders");
        createMultiAz("web");
        makeAvailable("web");
        call("DeleteDBCluster", "DBClusterIdentifier", "orders", "FinalDBSnapshotIdentifier", "final");

        assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "web", "FinalDBSnapshotIdentifier",
                "FINAL")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("DBClusterSnapshotAlreadyExistsFault"));
        assertThat(spec("web").rds().deleting()).isFalse();
        assertThat(backend.store.clusterSnapshot("final").orElseThrow().clusterIdentifier()).isEqualTo("orders");
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
        assertThat(backend.store.clusterSnapshots()).isEmpty();
        call("DeleteDBCluster", "DBClusterIdentifier", "orders", "SkipFinalSnapshot", "true");
        assertThat(spec("orders").rds().finalSnapshot()).isNull();
    }

    @Test
    void deleteDBCluster_emptyClusterRemovedBeforeTheReply_repliesDeleting() {
        call("CreateDBCluster", "DBClusterIdentifier", "web", "Engine", "postgres", "MasterUsername", "dbadmin",
                "MasterUserPassword", "secret-password-1", "Tags.Tag.1.Key", "team", "Tags.Tag.1.Value", "web");
        backend.agentsRemoveEmptyDeleted = true;

        String xml = call("DeleteDBCluster", "DBClusterIdentifier", "web", "SkipFinalSnapshot", "true");

        assertThat(xml).contains("<DBClusterIdentifier>web</DBClusterIdentifier>", "<Status>deleting</Status>",
                "<Key>team</Key><Value>web</Value>");
        assertThat(backend.store.read("web").spec()).isEmpty();
    }

    @Test
    void describeDBClusterSnapshots_filtersTypesAndPages() {
        for (int k = 10; k < 35; k++) {
            backend.store.createClusterSnapshot(snapshot("snap-" + k, k % 2 == 0 ? "orders" : "web", "available"));
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
    void deleteDBClusterSnapshot_availableMarkedDeleting_othersRefused() {
        backend.store.createClusterSnapshot(snapshot("done", "orders", "available"));
        backend.store.createClusterSnapshot(snapshot("taking", "web", "creating"));

        String xml = call("DeleteDBClusterSnapshot", "DBClusterSnapshotIdentifier", "Done");

        assertThat(xml).contains("<DeleteDBClusterSnapshotResult><DBClusterSnapshot>",
                "<DBClusterSnapshotIdentifier>done</DBClusterSnapshotIdentifier>", "<Status>deleting</Status>");
        assertThat(backend.store.clusterSnapshot("done").orElseThrow().status()).isEqualTo("deleting");
        for (String[] bad : List.of(new String[]{"done", "InvalidDBClusterSnapshotStateFault"},
                new String[]{"taking", "InvalidDBClusterSnapshotStateFault"},
                new String[]{"nope", "DBClusterSnapshotNotFoundFault"})) {
            assertThatThrownBy(() -> call("DeleteDBClusterSnapshot", "DBClusterSnapshotIdentifier", bad[0])).as(bad[0])
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad[1]));
        }
        assertThat(backend.store.clusterSnapshot("taking").orElseThrow().status()).isEqualTo("creating");
    }

    private static io.multiaz.model.DbClusterSnapshot snapshot(String id, String cluster, String status) {
        return new io.multiaz.model.DbClusterSnapshot(id, cluster, "postgres", "15.14", NOW, NOW, "dbadmin", 5432,
                List.of("az-a", "az-b", "az-c"), "az-a", "127.0.0.1", status, (1L << 30) + 1, "manual");
    }

    @Test
    void modifyDBCluster_changesSettings_andRefusesWhatItCannotDo() {
        createMultiAz("orders");
        makeAvailable("orders");
        assertThat(call("DescribeDBClusters", "DBClusterIdentifier", "orders")).contains("<Status>available</Status>");

        String xml = call("ModifyDBCluster", "DBClusterIdentifier", "orders", "BackupRetentionPeriod", "14",
                "PreferredMaintenanceWindow", "Mon:01:00-Mon:01:30", "DBClusterInstanceClass", "db.r6gd.xlarge",
                "MasterUserPassword", "another-password", "ApplyImmediately", "true");

        assertThat(xml).contains("<BackupRetentionPeriod>14</BackupRetentionPeriod>",
                "<PreferredMaintenanceWindow>mon:01:00-mon:01:30</PreferredMaintenanceWindow>",
                "<DBClusterInstanceClass>db.r6gd.xlarge</DBClusterInstanceClass>");
        assertThat(backend.passwords).containsExactly("orders:another-password");
        assertThat(spec("orders").credentials().masterPassword()).isEqualTo("another-password");
        ClusterSpec before = spec("orders");
        for (String[] bad : List.of(new String[]{"NewDBClusterIdentifier", "x"}, new String[]{"Port", "1234"},
                new String[]{"EngineVersion", "14"}, new String[]{"BackupRetentionPeriod", "99"},
                new String[]{"DBClusterParameterGroupName", "nope"}, new String[]{"DBClusterInstanceClass", "db.x"})) {
            assertThatThrownBy(() -> call("ModifyDBCluster", "DBClusterIdentifier", "orders", bad[0], bad[1]))
                    .as(bad[0]).isInstanceOf(ApiException.class);
        }
        assertThat(spec("orders")).isEqualTo(before);
    }

    @Test
    void rebootDBInstance_availableInstance_askedOfItsAgent() {
        String xml = call("RebootDBInstance", "DBInstanceIdentifier", "demo-2");

        assertThat(backend.reboots).containsExactly("demo/demo-2");
        assertThat(xml).contains("<DBInstanceIdentifier>demo-2</DBInstanceIdentifier>");
        assertThatThrownBy(() -> call("RebootDBInstance", "DBInstanceIdentifier", "demo-3"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidDBInstanceState"));
        assertThatThrownBy(() -> call("RebootDBInstance", "DBInstanceIdentifier", "demo-2", "ForceFailover", "true"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("InvalidParameterCombination"));
        assertThat(backend.reboots).hasSize(1);
    }

    @Test
    void describeOrderable_listsTheClassesForPostgresOnly() {
        assertThat(call("DescribeOrderableDBInstanceOptions", "Engine", "postgres"))
                .contains("<DBInstanceClass>db.t3.micro</DBInstanceClass>",
                        "<DBInstanceClass>db.m6gd.large</DBInstanceClass>", "<Name>az-b</Name>",
                        "<EngineVersion>15.14</EngineVersion>");
        assertThat(call("DescribeOrderableDBInstanceOptions", "Engine", "postgres", "DBInstanceClass", "db.r6gd.large"))
                .containsOnlyOnce("<OrderableDBInstanceOption>");
        assertThat(call("DescribeOrderableDBInstanceOptions", "Engine", "mysql"))
                .doesNotContain("<OrderableDBInstanceOption>");
    }

    @Test
    void instanceClasses_followRdsFormulas() {
        assertThat(InstanceClasses.serverSettings("db.m6gd.large")).containsEntry("shared_buffers", "262144")
                .containsEntry("max_connections", "901").containsEntry("effective_cache_size", "524288");
        assertThat(InstanceClasses.serverSettings("db.t3.micro")).containsEntry("max_connections", "112")
                .containsEntry("maintenance_work_mem", "65536");
    }

    /** What the agents would do: bootstrap the first instance as writer, start the others as readers. */
    private void makeAvailable(String cluster) {
        List<InstanceSpec> instances = spec(cluster).instances();
        backend.store.claimBootstrap(cluster, instances.get(0).name());
        backend.store.completeBootstrap(cluster, instances.get(0).name(), "1");
        backend.store.acquireLease(cluster, instances.get(0).name());
        for (InstanceSpec i : instances) {
            backend.store.publishMember(cluster, running(i, i.equals(instances.get(0))));
        }
    }

    private static MemberState running(InstanceSpec i, boolean writer) {
        return new MemberState(i.name(), i.az(), i.host(), i.port(),
                writer ? io.multiaz.model.Role.WRITER : io.multiaz.model.Role.READER,
                io.multiaz.model.ServerState.RUNNING, 1, io.multiaz.model.Lsn.ZERO, io.multiaz.model.Lsn.ZERO, 0,
                null, !writer, List.of(), "", 1, 2, "", null, NOW);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
