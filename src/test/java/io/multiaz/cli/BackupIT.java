package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.SourceType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backups of a running local deployment (issue 13) with real pgBackRest and PostgreSQL: the first
 * automated backup, taken from a standby; the restorable window in DescribeDBClusters, idle and
 * under writes; a repository that refuses writes (commits go on, the failure is reported, archiving
 * catches up and the restorable time passes the outage). Ports 29600-29629.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class BackupIT {
    /** The goal of issue 13: LatestRestorableTime at most this far behind now, idle and under writes. */
    private static final Duration LAG_GOAL = Duration.ofSeconds(15);
    private static Path stateDir;
    private static RdsClient rds;
    private static String writerDsn;
    private static String healthUrl;

    @BeforeAll
    static void up() throws Exception {
        stateDir = Cli.stateDir("backups");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "29600", "--timeout", "240s");
        assertThat(r.exit()).as("up: %s", r.err()).isZero();
        JsonNode status = Cli.status(stateDir);
        rds = AwsClients.sdk(status.get("api"));
        writerDsn = status.get("endpoints").get("writer").asText();
        healthUrl = "http://127.0.0.1:29601";
    }

    @AfterAll
    static void destroy() {
        if (rds != null) {
            rds.close();
        }
        if (stateDir != null) {
            Path archive = stateDir.resolve("backups/repo/archive");
            if (Files.exists(archive)) {
                try {
                    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwxr-x---"));
                } catch (Exception e) {
                    // destroy removes it as root anyway
                }
            }
            assertThat(Cli.run("destroy", "--state-dir", stateDir.toString()).exit()).isZero();
        }
    }

    private static DBCluster cluster() {
        return rds.describeDBClusters(b -> b.dbClusterIdentifier("demo")).dbClusters().getFirst();
    }

    private static List<String> clusterEvents() {
        return rds.describeEvents(b -> b.sourceType(SourceType.DB_CLUSTER).sourceIdentifier("demo").duration(60))
                .events().stream().map(Event::message).toList();
    }

    private static JsonNode backupStatus() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(healthUrl + "/backups?cluster=demo")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    private static Duration lag() {
        Instant latest = cluster().latestRestorableTime();
        assertThat(latest).as("LatestRestorableTime").isNotNull();
        return Duration.between(latest, Instant.now());
    }

    @Test
    @Order(1)
    void firstAutomatedBackup_takenFromAStandby_listedAndRestorable() {
        List<DBClusterSnapshot> automated = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
                .until(() -> rds.describeDBClusterSnapshots(b -> b.snapshotType("automated")).dbClusterSnapshots(),
                        l -> !l.isEmpty());

        assertThat(automated).singleElement().satisfies(s -> {
            assertThat(s.dbClusterSnapshotIdentifier()).startsWith("rds:demo-");
            assertThat(s.status()).isEqualTo("available");
            assertThat(s.snapshotType()).isEqualTo("automated");
            assertThat(s.dbClusterIdentifier()).isEqualTo("demo");
        });
        DBCluster c = cluster();
        assertThat(c.earliestRestorableTime()).isNotNull();
        assertThat(c.latestRestorableTime()).isNotNull().isAfterOrEqualTo(c.earliestRestorableTime());
        String writer = c.dbClusterMembers().stream().filter(m -> m.isClusterWriter()).findFirst().orElseThrow()
                .dbInstanceIdentifier();
        assertThat(clusterEvents()).anySatisfy(m -> assertThat(m).startsWith("automated full backup started from demo-")
                        .doesNotContain(writer))
                .anySatisfy(m -> assertThat(m).startsWith("automated full backup").contains("completed"));
    }

    @Test
    @Order(2)
    void latestRestorableTime_idleAndUnderWrites_withinFifteenSeconds() throws Exception {
        List<Long> idle = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            idle.add(lag().toMillis());
            Thread.sleep(2000);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger rows = new AtomicInteger();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (Connection c = Cli.connect(writerDsn); Statement st = c.createStatement()) {
                st.execute("create table if not exists backup_it_load (id bigserial primary key, at timestamptz"
                        + " default clock_timestamp())");
                while (writing.get()) {
                    st.execute("insert into backup_it_load default values");
                    rows.incrementAndGet();
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Long> busy = new ArrayList<>();
        try {
            Thread.sleep(3000);
            for (int i = 0; i < 12; i++) {
                busy.add(lag().toMillis());
                Thread.sleep(2000);
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        System.out.printf("LatestRestorableTime lag (ms), idle: median %d max %d %s; under writes (%d rows):"
                + " median %d max %d %s%n", median(idle), Collections.max(idle), idle, rows.get(), median(busy),
                Collections.max(busy), busy);
        assertThat(rows.get()).isPositive();
        assertThat(Collections.max(idle)).as("idle lag %s", idle).isLessThanOrEqualTo(LAG_GOAL.toMillis());
        assertThat(Collections.max(busy)).as("busy lag %s", busy).isLessThanOrEqualTo(LAG_GOAL.toMillis());
    }

    @Test
    @Order(3)
    void repositoryRefusesWrites_commitsGoOnFailureReportedThenArchivingCatchesUp() throws Exception {
        Path archive = stateDir.resolve("backups/repo/archive");
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("---------"));
        Instant outageStart = Instant.now();
        try (Connection c = Cli.connect(writerDsn); Statement st = c.createStatement()) {
            st.execute("create table if not exists backup_it_outage (id int primary key, at timestamptz"
                    + " default clock_timestamp())");
            for (int i = 1; i <= 20; i++) {
                long t0 = System.nanoTime();
                st.execute("insert into backup_it_outage (id) values (" + i + ")");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("commit %d while the repository refuses", i)
                        .isLessThan(Duration.ofSeconds(1));
                Thread.sleep(700); // 14 s in all: archive_timeout (10 s) switches a segment meanwhile
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(backupStatus().path("archivingFailingSince").isTextual()).isTrue());
            assertThat(clusterEvents()).anySatisfy(m -> assertThat(m)
                    .startsWith("WAL archiving to the backup repository fails since"));
            assertThat(cluster().latestRestorableTime()).as("restorable time during the outage")
                    .isBefore(outageStart.plusSeconds(15));
            Thread.sleep(5000);
            Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwxr-x---"));
            Instant back = Instant.now();
            st.execute("insert into backup_it_outage (id) values (21)");

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(cluster().latestRestorableTime()).isAfter(back));
        } finally {
            Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwxr-x---"));
        }
        assertThat(backupStatus().path("archivingFailingSince").isNull()).isTrue();
        assertThat(clusterEvents()).anySatisfy(m -> assertThat(m).startsWith("WAL archiving works again"));
    }

    @Test
    @Order(4)
    void createDBClusterSnapshot_fromAStandbyWhileTheClusterTakesWrites_availableThenDeleted() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger rows = new AtomicInteger();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (Connection c = Cli.connect(writerDsn); Statement st = c.createStatement()) {
                while (writing.get()) {
                    st.execute("insert into backup_it_load default values");
                    rows.incrementAndGet();
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        DBClusterSnapshot created;
        try {
            created = rds.createDBClusterSnapshot(b -> b.dbClusterIdentifier("demo")
                    .dbClusterSnapshotIdentifier("it-snap-1")).dbClusterSnapshot();
            assertThat(created.status()).isEqualTo("creating");
            assertThat(cluster().status()).as("the cluster while it is snapshotted").isEqualTo("available");
            rds.waiter().waitUntilDBClusterSnapshotAvailable(b -> b.dbClusterSnapshotIdentifier("it-snap-1"));
        } finally {
            writing.set(false);
            writer.join();
        }
        DBClusterSnapshot done = rds.describeDBClusterSnapshots(b -> b.dbClusterSnapshotIdentifier("it-snap-1"))
                .dbClusterSnapshots().getFirst();
        assertThat(done.status()).isEqualTo("available");
        assertThat(done.percentProgress()).isEqualTo(100);
        assertThat(done.snapshotType()).isEqualTo("manual");
        assertThat(rows.get()).as("rows written while the snapshot was taken").isPositive();
        String writerName = cluster().dbClusterMembers().stream().filter(m -> m.isClusterWriter()).findFirst()
                .orElseThrow().dbInstanceIdentifier();
        assertThat(clusterEvents()).anySatisfy(m -> assertThat(m)
                        .startsWith("full backup for DB cluster snapshot it-snap-1 started from demo-")
                        .doesNotContain(writerName))
                .anySatisfy(m -> assertThat(m).startsWith("DB cluster snapshot it-snap-1 is available"));

        rds.deleteDBClusterSnapshot(b -> b.dbClusterSnapshotIdentifier("it-snap-1"));
        rds.waiter().waitUntilDBClusterSnapshotDeleted(b -> b.dbClusterSnapshotIdentifier("it-snap-1"));
        assertThat(rds.describeDBClusterSnapshots(b -> b.snapshotType("manual")).dbClusterSnapshots()).isEmpty();
        assertThat(rds.describeDBClusterSnapshots(b -> b.snapshotType("automated")).dbClusterSnapshots())
                .as("automated backups stay").isNotEmpty();
    }

    @Test
    @Order(5)
    void snapshotBackup_ownerAgentKilledWhileItRuns_theNextOwnerTakesItAndTheSnapshotBecomesAvailable()
            throws Exception {
        try (Connection c = Cli.connect(writerDsn); Statement st = c.createStatement()) {
            st.execute("create table backup_it_bulk as select g as id, md5(g::text) as pad"
                    + " from generate_series(1, 1500000) g");
        }
        String owner = backupStatus().get("owner").asText();
        long ownerPid = Long.parseLong(Files.readString(stateDir.resolve("run/agent-" + owner + ".pid")).strip());
        rds.createDBClusterSnapshot(b -> b.dbClusterIdentifier("demo").dbClusterSnapshotIdentifier("it-snap-2"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> clusterEvents()
                .stream().anyMatch(m -> m.startsWith("full backup for DB cluster snapshot it-snap-2 started")));

        Cli.signal(ownerPid, "KILL");

        DBClusterSnapshot done = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
                .until(() -> rds.describeDBClusterSnapshots(b -> b.dbClusterSnapshotIdentifier("it-snap-2"))
                        .dbClusterSnapshots().getFirst(), s -> s.status().equals("available"));
        assertThat(done.percentProgress()).isEqualTo(100);
        assertThat(backupStatus().get("owner").asText()).as("the owner after the kill").isNotEqualTo(owner);
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "29600", "--timeout", "240s");
        assertThat(r.exit()).as("up after the kill: %s", r.err()).isZero();
        rds.deleteDBClusterSnapshot(b -> b.dbClusterSnapshotIdentifier("it-snap-2"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> rds
                .describeDBClusterSnapshots(b -> b.snapshotType("manual")).dbClusterSnapshots().isEmpty());
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
