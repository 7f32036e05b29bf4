package io.multiaz.api;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster and instance lifecycle calls over an in-memory store: what they write, and what they refuse. */
final class RdsClustersTest {
    private final FixedBackend backend = new FixedBackend();
    private final RdsActions actions = backend.actions();

    private String call(String action, String... params) {
        return FixedBackend.call(actions, action, params);
    }

    private String createMultiAz(String name, String... more) {
        return FixedBackend.createMultiAz(actions, name, more);
    }

    private ClusterSpec spec(String name) {
        return backend.spec(name);
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
        assertThat(backend.records.clusters().names()).isEmpty();
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
        backend.makeAvailable("orders");

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
        backend.makeAvailable("orders");
        for (String bad : List.of("1final", "final--1", "final-", "final_1", "f" + "x".repeat(255))) {
            assertThatThrownBy(() -> call("DeleteDBCluster", "DBClusterIdentifier", "orders",
                    "FinalDBSnapshotIdentifier", bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        }
        assertThat(spec("orders").rds().deleting()).isFalse();
        assertThat(backend.records.clusterSnapshots().list()).isEmpty();
    }

    @Test
    void deleteDBCluster_emptyCluster_recordsNoEventTheAgentsCouldOutlive() {
        // regression, issue 21 (found by the fuzzer): the event was appended after a look that still saw the
        // cluster; an agent removed it in between and the append recreated clusters/<name>/events
        call("CreateDBCluster", "DBClusterIdentifier", "web", "Engine", "postgres", "MasterUsername", "dbadmin",
                "MasterUserPassword", "secret-password-1");
        int before = backend.records.events().events("web", 100).size();

        call("DeleteDBCluster", "DBClusterIdentifier", "web", "SkipFinalSnapshot", "true");

        assertThat(backend.records.events().events("web", 100)).hasSize(before);
        assertThat(spec("web").rds().deleting()).isTrue();
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
    void modifyDBCluster_specGoneFromTheStore_refusedBeforeThePasswordChanges() {
        // regression, issue 21 (found by the fuzzer): the writer's password changed, then the spec's update
        // refused the call; the fixed demo cluster is described but has no spec in the store
        assertThatThrownBy(() -> call("ModifyDBCluster", "DBClusterIdentifier", "demo", "MasterUserPassword",
                "another-password"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("DBClusterNotFoundFault"));

        assertThat(backend.passwords).isEmpty();
    }

    @Test
    void modifyDBCluster_changesSettings_andRefusesWhatItCannotDo() {
        createMultiAz("orders");
        backend.makeAvailable("orders");
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

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
