package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static io.multiaz.cli.DeploymentProbes.filesContaining;
import static io.multiaz.cli.DeploymentProbes.nftTables;
import static io.multiaz.cli.DeploymentProbes.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A DB cluster's whole life through the RDS API of a running deployment, by the AWS CLI v2
 * ({@code /usr/bin/aws}, waiters included) and the AWS SDK for Java v2, next to the demo cluster:
 * a subnet group and a parameter group, a Multi-AZ DB cluster created with them, waited for,
 * described field by field, written through its writer endpoint and read through its reader
 * endpoint, failed over, given a static parameter that waits for a reboot of each instance (one is
 * rebooted), given a new master password while every statement is logged (found in no log in
 * clear text), refused deletion under protection and then deleted; and the Aurora form,
 * instance by instance. Ports 28500-28529 (zones) and 28600-28650 (the clusters' instances).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class RdsLifecycleIT {
    private static final String PASSWORD = "Lifecycle-pass-1";
    private static Path stateDir;
    private static JsonNode api;
    private static RdsClient rds;
    private static RdsWaiter waiter;

    @BeforeAll
    static void up() throws Exception {
        stateDir = Cli.stateDir("state");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "28500", "--timeout", "240s");
        assertThat(r.exit()).as("up: %s", r.err()).isZero();
        api = Cli.status(stateDir).get("api");
        rds = AwsClients.sdk(api);
        waiter = RdsWaiter.builder().client(rds).overrideConfiguration(WaiterOverrideConfiguration.builder()
                .maxAttempts(120).backoffStrategy(software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy
                        .create(Duration.ofSeconds(1))).build()).build();
    }

    @AfterAll
    static void destroy() {
        if (waiter != null) {
            waiter.close();
        }
        if (rds != null) {
            rds.close();
        }
        if (stateDir != null) {
            assertThat(Cli.run("destroy", "--state-dir", stateDir.toString()).exit()).isZero();
            assertThat(nftTables()).noneMatch(t -> t.contains(io.multiaz.endpoint.Nft.tableName(stateDir)));
        }
    }

    private static AwsClients.Answer aws(String... args) throws IOException, InterruptedException {
        return AwsClients.cli(api, args);
    }

    private static DBCluster cluster(String name) {
        return rds.describeDBClusters(b -> b.dbClusterIdentifier(name)).dbClusters().get(0);
    }

    private static Connection connect(String host, int port) throws Exception {
        return connect(host, port, "orders");
    }

    private static Connection connect(String host, int port, String database) throws Exception {
        return DeploymentProbes.connect(host, port, database, PASSWORD);
    }

    @Test
    @Order(1)
    void multiAzCluster_createdWithGroups_describedInFull_andReachableThroughItsEndpoints() throws Exception {
        aws("create-db-subnet-group", "--db-subnet-group-name", "three-zones", "--db-subnet-group-description", "all",
                "--subnet-ids", "subnet-a", "subnet-b", "subnet-c").ok();
        aws("create-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "orders-params",
                "--db-parameter-group-family", "postgres15", "--description", "orders").ok();
        aws("modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "orders-params",
                "--parameters", "ParameterName=work_mem,ParameterValue=8192,ApplyMethod=immediate").ok();

        JsonNode created = aws("create-db-cluster", "--db-cluster-identifier", "orders", "--engine", "postgres",
                "--db-cluster-instance-class", "db.t3.micro", "--allocated-storage", "20", "--storage-type", "gp3",
                "--master-username", "dbadmin", "--master-user-password", PASSWORD, "--database-name", "orders",
                "--db-subnet-group-name", "three-zones", "--db-cluster-parameter-group-name", "orders-params",
                "--backup-retention-period", "3", "--deletion-protection", "--tags", "Key=team,Value=payments").ok();
        assertThat(created.get("DBCluster").get("Status").asText()).isEqualTo("creating");
        // the control plane's state is in the store: an agent killed while the cluster is being built
        // (az-b's, which runs orders-instance-2) picks it up again when it is restarted
        long agentB = Cli.member(Cli.status(stateDir), "demo-2").get("agentPid").asLong();
        ProcessHandle.of(agentB).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(agentB).isEmpty());
        Cli.Result restarted = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "240s");
        assertThat(restarted.exit()).as("up after killing an agent: %s", restarted.err()).isZero();
        // the CLI's own waiter (it polls every 30 s, as against RDS)
        aws("wait", "db-cluster-available", "--db-cluster-identifier", "orders").ok();

        DBCluster c = cluster("orders");
        assertThat(c.status()).isEqualTo("available");
        assertThat(c.multiAZ()).isTrue();
        assertThat(c.engine()).isEqualTo("postgres");
        assertThat(c.engineVersion()).startsWith("15.");
        assertThat(c.port()).isEqualTo(5432);
        assertThat(c.endpoint()).isNotEqualTo(cluster("demo").endpoint()).startsWith("127.77.");
        assertThat(c.readerEndpoint()).startsWith("127.77.");
        assertThat(c.availabilityZones()).containsExactly("az-a", "az-b", "az-c");
        assertThat(c.dbClusterMembers()).hasSize(3).filteredOn(DBClusterMember::isClusterWriter).hasSize(1);
        assertThat(c.backupRetentionPeriod()).isEqualTo(3);
        assertThat(c.preferredBackupWindow()).isEqualTo("03:00-03:30");
        assertThat(c.preferredMaintenanceWindow()).isEqualTo("sun:05:00-sun:05:30");
        assertThat(c.storageEncrypted()).isFalse();
        assertThat(c.deletionProtection()).isTrue();
        assertThat(c.dbClusterParameterGroup()).isEqualTo("orders-params");
        assertThat(c.dbSubnetGroup()).isEqualTo("three-zones");
        assertThat(c.dbClusterInstanceClass()).isEqualTo("db.t3.micro");
        assertThat(c.masterUsername()).isEqualTo("dbadmin");
        assertThat(c.databaseName()).isEqualTo("orders");
        assertThat(c.tagList()).singleElement().satisfies(t -> assertThat(t.key() + "=" + t.value())
                .isEqualTo("team=payments"));
        List<DBInstance> instances = rds.describeDBInstances(b -> b.filters(f -> f.name("db-cluster-id")
                .values("orders"))).dbInstances();
        assertThat(instances).extracting(DBInstance::dbInstanceIdentifier)
                .containsExactly("orders-instance-1", "orders-instance-2", "orders-instance-3");
        assertThat(instances).allSatisfy(i -> {
            assertThat(i.dbInstanceStatus()).isEqualTo("available");
            assertThat(i.dbInstanceClass()).isEqualTo("db.t3.micro");
            assertThat(i.endpoint().port()).isEqualTo(5432);
        });

        try (Connection w = connect(c.endpoint(), c.port()); Statement st = w.createStatement()) {
            st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
            st.execute("INSERT INTO orders VALUES (1, 'first')");
            try (ResultSet rs = st.executeQuery("SHOW work_mem")) {
                rs.next();
                assertThat(rs.getString(1)).as("the parameter group's value").isEqualTo("8MB");
            }
            try (ResultSet rs = st.executeQuery("SHOW max_connections")) {
                rs.next();
                assertThat(rs.getString(1)).as("db.t3.micro's max_connections").isEqualTo("112");
            }
        }
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            try (Connection r = connect(c.readerEndpoint(), c.port()); Statement st = r.createStatement();
                 ResultSet rs = st.executeQuery("SELECT item, pg_is_in_recovery() FROM orders WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("first");
                assertThat(rs.getBoolean(2)).as("the reader endpoint reaches a standby").isTrue();
            }
        });
        // the demo cluster next to it is untouched
        assertThat(cluster("demo").status()).isEqualTo("available");
    }

    @Test
    @Order(2)
    void failover_movesTheWriter_andTheWriterEndpointFollows() throws Exception {
        DBCluster before = cluster("orders");
        String old = writer(before);
        String target = before.dbClusterMembers().stream().map(DBClusterMember::dbInstanceIdentifier)
                .filter(n -> !n.equals(old)).findFirst().orElseThrow();

        rds.failoverDBCluster(b -> b.dbClusterIdentifier("orders").targetDBInstanceIdentifier(target));

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            DBCluster c = cluster("orders");
            return c.status().equals("available") && target.equals(writer(c));
        });
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            try (Connection w = connect(before.endpoint(), before.port()); Statement st = w.createStatement()) {
                st.execute("INSERT INTO orders VALUES (2, 'after failover') ON CONFLICT DO NOTHING");
                try (ResultSet rs = st.executeQuery("SELECT count(*), current_setting('cluster_name') FROM orders")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                    assertThat(rs.getString(2)).isEqualTo(target);
                }
            }
        });
    }

    @Test
    @Order(3)
    void staticParameter_pendingRebootUntilTheInstanceIsRebooted() throws Exception {
        aws("modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "orders-params",
                "--parameters", "ParameterName=shared_buffers,ParameterValue=12800,ApplyMethod=pending-reboot").ok();
        // every server reloads the group; shared_buffers waits for a restart, as PostgreSQL reports
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster("orders").dbClusterMembers())
                .extracting(DBClusterMember::dbClusterParameterGroupStatus).containsOnly("pending-reboot"));
        DBCluster c = cluster("orders");
        String reader = c.dbClusterMembers().stream().filter(m -> !m.isClusterWriter())
                .map(DBClusterMember::dbInstanceIdentifier).findFirst().orElseThrow();

        JsonNode rebooting = aws("reboot-db-instance", "--db-instance-identifier", reader).ok();
        assertThat(rebooting.get("DBInstance").get("DBInstanceStatus").asText()).isEqualTo("rebooting");
        aws("wait", "db-instance-available", "--db-instance-identifier", reader).ok();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster("orders").dbClusterMembers())
                .allSatisfy(m -> assertThat(m.dbClusterParameterGroupStatus()).as(m.dbInstanceIdentifier())
                        .isEqualTo(m.dbInstanceIdentifier().equals(reader) ? "in-sync" : "pending-reboot")));
        DBInstance rebooted = rds.describeDBInstances(b -> b.dbInstanceIdentifier(reader)).dbInstances().get(0);
        try (Connection r = connect(rebooted.endpoint().address(), rebooted.endpoint().port());
             Statement st = r.createStatement(); ResultSet rs = st.executeQuery("SHOW shared_buffers")) {
            rs.next();
            assertThat(rs.getString(1)).as("the group's value, taken at the reboot").isEqualTo("100MB");
        }
        assertThat(cluster("orders").status()).isEqualTo("available");
    }

    /**
     * Issue 12, security: with every statement logged, as a parameter group may ask, the new master
     * password reaches the writer as a SCRAM verifier, and no file of the deployment but the store's
     * own data holds it in clear text: not the PostgreSQL logs, not the agents' logs.
     */
    @Test
    @Order(4)
    void masterPassword_changedWhileEveryStatementIsLogged_reachesNoLogInClearText() throws Exception {
        aws("modify-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "orders-params",
                "--parameters", "ParameterName=log_statement,ParameterValue=all,ApplyMethod=immediate").ok();
        List<DBInstance> instances = rds.describeDBInstances(b -> b.filters(f -> f.name("db-cluster-id")
                .values("orders"))).dbInstances();
        for (DBInstance i : instances) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                try (Connection c = DeploymentProbes.connect(i.endpoint().address(), i.endpoint().port(), "orders",
                        PASSWORD);
                     Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW log_statement")) {
                    rs.next();
                    assertThat(rs.getString(1)).as(i.dbInstanceIdentifier()).isEqualTo("all");
                }
            });
        }
        DBCluster c = cluster("orders");
        String rotated = "Rotated-" + Long.toString(new java.security.SecureRandom().nextLong() >>> 1, 36);

        aws("modify-db-cluster", "--db-cluster-identifier", "orders", "--master-user-password", rotated,
                "--apply-immediately").ok();

        try (Connection w = DeploymentProbes.connect(c.endpoint(), c.port(), "orders", rotated);
             Statement st = w.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("dbadmin");
        }
        assertThatThrownBy(() -> DeploymentProbes.connect(c.endpoint(), c.port(), "orders", PASSWORD).close())
                .isInstanceOf(java.sql.SQLException.class);
        // the writer did log the statement: the verifier stands where the password would have
        Path writerLog = stateDir.resolve("clusters").resolve("orders").resolve(writer(c)).resolve("postgresql.log");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Files.readString(writerLog, StandardCharsets.ISO_8859_1)).contains("PASSWORD 'SCRAM-SHA-256$4096:"));
        // ZooKeeper's data is the store, which keeps each cluster's spec, its credentials included
        assertThat(filesContaining(stateDir, stateDir.resolve("zookeeper"), rotated)).isEmpty();
    }

    @Test
    @Order(5)
    void deletion_refusedUnderProtection_thenRemovesEverything() throws Exception {
        assertThatThrownBy(() -> rds.deleteDBCluster(b -> b.dbClusterIdentifier("orders").skipFinalSnapshot(true)))
                .isInstanceOf(InvalidDbClusterStateException.class).hasMessageContaining("deletion protection");
        AwsClients.Answer noSnapshotChoice = aws("delete-db-cluster", "--db-cluster-identifier", "orders");
        assertThat(noSnapshotChoice.exit()).isNotZero();
        assertThat(noSnapshotChoice.err()).contains("InvalidParameterCombination");
        assertThat(cluster("orders").status()).isEqualTo("available");

        aws("modify-db-cluster", "--db-cluster-identifier", "orders", "--no-deletion-protection",
                "--apply-immediately").ok();
        JsonNode deleting = aws("delete-db-cluster", "--db-cluster-identifier", "orders",
                "--final-db-snapshot-identifier", "orders-final").ok();
        assertThat(deleting.get("DBCluster").get("Status").asText()).isEqualTo("deleting");
        waiter.waitUntilDBClusterDeleted(b -> b.dbClusterIdentifier("orders"));

        // the cluster is deleted only once its final snapshot is available: the last writer's data directory
        JsonNode snapshot = aws("describe-db-cluster-snapshots", "--db-cluster-identifier", "orders").ok()
                .get("DBClusterSnapshots").get(0);
        assertThat(snapshot.get("DBClusterSnapshotIdentifier").asText()).isEqualTo("orders-final");
        assertThat(snapshot.get("Status").asText()).isEqualTo("available");
        assertThat(snapshot.get("SnapshotType").asText()).isEqualTo("manual");
        assertThat(snapshot.get("Engine").asText()).isEqualTo("postgres");
        assertThat(snapshot.get("MasterUsername").asText()).isEqualTo("dbadmin");
        assertThat(snapshot.get("EngineVersion").asText()).isEqualTo(cluster("demo").engineVersion());
        assertThat(snapshot.get("AvailabilityZones")).hasSize(3);
        assertThat(snapshot.get("AllocatedStorage").asInt()).isPositive();
        Path files = stateDir.resolve("snapshots").resolve("orders-final").resolve("data");
        assertThat(files.resolve("PG_VERSION")).exists();
        var binaries = io.multiaz.engine.PgBinaries.in(io.multiaz.engine.PgBinaries.find(null));
        assertThat(binaries.clusterState(files)).isEqualTo("shut down");
        JsonNode deletingSnapshot = aws("delete-db-cluster-snapshot", "--db-cluster-snapshot-identifier",
                "orders-final").ok();
        assertThat(deletingSnapshot.get("DBClusterSnapshot").get("Status").asText()).isEqualTo("deleting");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(files.getParent()).doesNotExist());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                aws("describe-db-cluster-snapshots", "--db-cluster-snapshot-identifier", "orders-final").err())
                .contains("DBClusterSnapshotNotFoundFault"));

        assertThatThrownBy(() -> cluster("orders")).isInstanceOf(DbClusterNotFoundException.class);
        assertThat(rds.describeDBInstances().dbInstances()).extracting(DBInstance::dbClusterIdentifier)
                .containsOnly("demo");
        assertThat(stateDir.resolve("clusters").resolve("orders")).satisfiesAnyOf(
                p -> assertThat(Files.exists(p)).isFalse(),
                p -> assertThat(Files.list(p).toList()).isEmpty());
        // the groups it used can go now
        aws("delete-db-cluster-parameter-group", "--db-cluster-parameter-group-name", "orders-params").ok();
        aws("delete-db-subnet-group", "--db-subnet-group-name", "three-zones").ok();
    }

    @Test
    @Order(6)
    void auroraForm_instancesCreatedAndDeletedOneByOne() throws Exception {
        aws("create-db-cluster", "--db-cluster-identifier", "web", "--engine", "postgres",
                "--master-username", "dbadmin", "--master-user-password", PASSWORD).ok();
        waiter.waitUntilDBClusterAvailable(b -> b.dbClusterIdentifier("web"));
        aws("create-db-instance", "--db-instance-identifier", "web-1", "--db-cluster-identifier", "web",
                "--engine", "postgres", "--db-instance-class", "db.t3.micro").ok();
        waiter.waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier("web-1"));
        aws("create-db-instance", "--db-instance-identifier", "web-2", "--db-cluster-identifier", "web",
                "--engine", "postgres", "--db-instance-class", "db.t3.small").ok();
        waiter.waitUntilDBInstanceAvailable(b -> b.dbInstanceIdentifier("web-2"));

        DBCluster c = cluster("web");
        assertThat(c.dbClusterMembers()).hasSize(2);
        assertThat(writer(c)).isEqualTo("web-1");
        assertThat(rds.describeDBInstances(b -> b.dbInstanceIdentifier("web-2")).dbInstances().get(0))
                .satisfies(i -> {
                    assertThat(i.availabilityZone()).isEqualTo("az-b");
                    assertThat(i.dbInstanceClass()).isEqualTo("db.t3.small");
                });
        try (Connection w = connect(c.endpoint(), c.port(), "postgres"); Statement st = w.createStatement()) {
            st.execute("CREATE TABLE t (x int)");
            st.execute("INSERT INTO t VALUES (1)");
        }
        assertThatThrownBy(() -> rds.deleteDBCluster(b -> b.dbClusterIdentifier("web").skipFinalSnapshot(true)))
                .isInstanceOf(InvalidDbClusterStateException.class).hasMessageContaining("DB instances");

        aws("delete-db-instance", "--db-instance-identifier", "web-2").ok();
        aws("wait", "db-instance-deleted", "--db-instance-identifier", "web-2").ok();
        assertThat(cluster("web").dbClusterMembers()).extracting(DBClusterMember::dbInstanceIdentifier)
                .containsExactly("web-1");
        aws("delete-db-instance", "--db-instance-identifier", "web-1").ok();
        waiter.waitUntilDBInstanceDeleted(b -> b.dbInstanceIdentifier("web-1"));
        aws("delete-db-cluster", "--db-cluster-identifier", "web", "--skip-final-snapshot").ok();
        waiter.waitUntilDBClusterDeleted(b -> b.dbClusterIdentifier("web"));
        assertThat(rds.describeDBClusters().dbClusters()).extracting(DBCluster::dbClusterIdentifier)
                .containsExactly("demo");
    }
}
