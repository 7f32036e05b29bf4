package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.fault.WriteWorkload;
import io.multiaz.fault.WriterSampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Automatic failover of the local three-zone cluster under a writing client: each fault is
 * injected by pid while {@link WriteWorkload} writes numbered rows through a multi-host URL and
 * {@link WriterSampler} polls every member. Every test asserts that no acknowledged write is lost
 * and that no two members were writers at one sampled instant, and prints the unavailability.
 * After each test the cluster is brought back to three healthy members with {@code up}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class FailoverIT {
    private static Path stateDir;
    private WriteWorkload workload;
    private WriterSampler sampler;
    private long faultAt;

    @BeforeAll
    static void up() throws Exception {
        stateDir = Cli.stateDir("state");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "27900", "--timeout", "240s");
        assertThat(r.exit()).as("up: %s", r.err()).isZero();
    }

    @AfterAll
    static void destroy() {
        if (stateDir != null) {
            assertThat(Cli.run("destroy", "--state-dir", stateDir.toString()).exit()).isZero();
        }
    }

    @BeforeEach
    void startClient() throws Exception {
        JsonNode s = Cli.status(stateDir);
        Map<String, String> members = new LinkedHashMap<>();
        for (JsonNode m : s.get("members")) {
            members.put(m.get("name").asText(), m.get("host").asText() + ":" + m.get("port").asInt());
        }
        URI dsn = URI.create(s.get("members").get(0).get("dsn").asText());
        String[] user = dsn.getUserInfo().split(":", 2);
        workload = new WriteWorkload(String.join(",", members.values()), "postgres", user[0], user[1]).start();
        sampler = new WriterSampler(members, user[0], user[1], 100).start();
        assertThat(workload.awaitMoreAcks(50, Duration.ofSeconds(20))).as("client writes before the fault").isTrue();
    }

    @AfterEach
    void checkAndHeal() throws Exception {
        try {
            assertThat(workload.awaitMoreAcks(50, Duration.ofSeconds(30))).as("client writes after the fault").isTrue();
            workload.close();
            sampler.close();
            System.out.printf("%s: unavailable %d ms, %d acked, %d failed attempts, %d samples%n",
                    getClass().getSimpleName(), workload.longestGap(faultAt).toMillis(), workload.ackedCount(),
                    workload.failedCount(), sampler.samples());
            assertThat(workload.lost()).as("acknowledged writes lost").isEmpty();
            assertThat(sampler.dualWriterSamples()).as("instants with two writers").isEmpty();
        } finally {
            workload.close();
            sampler.close();
            Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "180s");
            assertThat(r.exit()).as("heal with up: %s", r.err()).isZero();
        }
    }

    private static JsonNode writer() throws Exception {
        JsonNode s = Cli.status(stateDir);
        return Cli.member(s, s.get("leader").asText());
    }

    private static List<JsonNode> readers() throws Exception {
        JsonNode s = Cli.status(stateDir);
        return Stream.of(s.get("members")).flatMap(ms -> java.util.stream.StreamSupport.stream(ms.spliterator(), false))
                .filter(m -> m.get("role").asText().equals("reader")).collect(Collectors.toList());
    }

    private void fault() {
        faultAt = System.nanoTime();
    }

    private static void awaitNewWriter(String old, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode s = Cli.status(stateDir);
            return !s.get("leader").isNull() && !s.get("leader").asText().equals(old)
                    && Cli.member(s, s.get("leader").asText()).get("state").asText().equals("running");
        });
    }

    @Test
    @Order(1)
    void hostKill_writerAgentAndServerKilled_standbyPromotedNothingLost() throws Exception {
        JsonNode w = writer();
        fault();
        Cli.signal(w.get("agentPid").asLong(), "KILL");
        Cli.signal(w.get("serverPid").asLong(), "KILL");
        awaitNewWriter(w.get("name").asText(), Duration.ofSeconds(20));
        assertThat(workload.awaitMoreAcks(20, Duration.ofSeconds(10))).isTrue();
        assertThat(workload.longestGap(faultAt)).as("unavailability").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void serverKill_writerPostgresKilled_agentRecoversWithoutLoss() throws Exception {
        JsonNode w = writer();
        fault();
        Cli.signal(w.get("serverPid").asLong(), "KILL");
        assertThat(workload.awaitMoreAcks(20, Duration.ofSeconds(20))).isTrue();
        assertThat(workload.longestGap(faultAt)).as("unavailability").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Order(3)
    void pause_writerAgentStopped10s_neverASecondWriter() throws Exception {
        JsonNode w = writer();
        long agent = w.get("agentPid").asLong();
        fault();
        Cli.signal(agent, "STOP");
        try {
            awaitNewWriter(w.get("name").asText(), Duration.ofSeconds(20));
            Thread.sleep(Math.max(0, 10_000 - Duration.ofNanos(System.nanoTime() - faultAt).toMillis()));
        } finally {
            Cli.signal(agent, "CONT");
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Cli.member(Cli.status(stateDir), w.get("name").asText()).get("role").asText().equals("reader")
                        && Cli.member(Cli.status(stateDir), w.get("name").asText()).get("streaming").asBoolean());
    }

    /**
     * Regression (found while shortening the session timeout): killing the zone that ran the
     * ZooKeeper leader made the healthy writer's client reconnect only after ZooKeeper's random
     * 0-1 s delays, past the watchdog window, and the writer's server was killed.
     */
    @Test
    @Order(4)
    void standbyKill_theStandbyZoneRunningTheZooKeeperLeader_writerKeepsItsServer() throws Exception {
        int leaderZone = zooKeeperLeaderZone();
        JsonNode w = writer();
        if (w.get("az").asText().equals(ZONES.get(leaderZone))) {
            String target = readers().get(0).get("name").asText();
            assertThat(Cli.run("switchover", "--to", target, "--state-dir", stateDir.toString()).exit()).isZero();
            w = writer();
        }
        String victimZone = ZONES.get(leaderZone);
        JsonNode r = readers().stream().filter(m -> m.get("az").asText().equals(victimZone)).findFirst().orElseThrow();
        long writerServer = w.get("serverPid").asLong();
        fault();
        Cli.signal(r.get("agentPid").asLong(), "KILL");
        Cli.signal(r.get("serverPid").asLong(), "KILL");
        assertThat(workload.awaitMoreAcks(100, Duration.ofSeconds(10))).isTrue();
        Thread.sleep(3_000);  // past the watchdog window and a whole session timeout
        assertThat(writer().get("serverPid").asLong()).as("the writer's postmaster").isEqualTo(writerServer);
        assertThat(workload.longestGap(faultAt)).isLessThan(Duration.ofSeconds(3));
    }

    private static final List<String> ZONES = List.of("az-a", "az-b", "az-c");

    /** Index of the zone whose embedded ZooKeeper peer leads (client port base + 10 i + 2). */
    private static int zooKeeperLeaderZone() {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < ZONES.size(); i++) {
                if (Cli.zooKeeperMode(27900 + 10 * i + 2).equals("leader")) {
                    return i;
                }
            }
            return -1;
        }, i -> i >= 0);
    }

    @Test
    @Order(5)
    void bothStandbysKilled_writesWaitThenResume() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> readers().size() == 2
                && readers().stream().allMatch(r -> r.get("streaming").asBoolean()));
        List<JsonNode> readers = readers();
        fault();
        List<Long> stopped = new java.util.ArrayList<>();
        for (JsonNode r : readers) {
            // the postmaster running now, from its data directory (a published pid may be a moment old)
            java.nio.file.Path data = stateDir.resolve("clusters/demo").resolve(r.get("name").asText()).resolve("data");
            long pid = await().atMost(Duration.ofSeconds(15)).until(() -> Os.postmaster(data), o -> o.isPresent())
                    .orElseThrow().pid();
            // the postmaster first: stopped, it cannot fork a new WAL receiver behind our back
            Cli.signal(pid, "STOP");
            for (long child : Cli.tree(pid)) {
                Cli.signal(child, "STOP");
                stopped.add(child);
            }
        }
        long before = workload.ackedCount();
        Thread.sleep(3000);
        if (workload.ackedCount() - before > 1) {
            System.out.println("DIAG readers=" + readers.stream().map(r -> r.get("name").asText() + "/"
                    + r.get("serverPid").asText()).toList() + " stopped=" + stopped + " status=" + Cli.status(stateDir));
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://" + writer().get("host").asText() + ":"
                    + writer().get("port").asInt() + "/postgres", "dbadmin",
                    java.net.URI.create(writer().get("dsn").asText()).getUserInfo().split(":")[1]);
                 var st = c.createStatement();
                 var rs = st.executeQuery("SELECT current_setting('synchronous_standby_names') || ' | ' || "
                         + "coalesce(string_agg(application_name || ':' || state || ':' || sync_state || ':' || pid, ', '), '') "
                         + "FROM pg_stat_replication")) {
                rs.next();
                System.out.println("DIAG writer replication: " + rs.getString(1));
            }
        }
        // at most the commit in flight when the standbys stopped may have completed
        assertThat(workload.ackedCount() - before).as("commits acknowledged with no standby").isLessThanOrEqualTo(1);
        // status says so: the writer's client waits in SyncRep for more than a second
        await().atMost(Duration.ofSeconds(5)).until(() -> Cli.status(stateDir).get("commitsWait").asBoolean());
        assertThat(Cli.status(stateDir).get("waitingCommits").asInt()).isPositive();
        assertThat(Cli.run("status", "--state-dir", stateDir.toString()).out()).contains("COMMITS WAIT: writer");
        for (long pid : stopped) {
            Cli.signal(pid, "CONT");
        }
        assertThat(workload.awaitMoreAcks(20, Duration.ofSeconds(15))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !Cli.status(stateDir).get("commitsWait").asBoolean());
    }

    @Test
    @Order(6)
    void reclone_rewindImpossible_oldWriterReclonedAutomatically() throws Exception {
        JsonNode w = writer();
        String name = w.get("name").asText();
        fault();
        Cli.signal(w.get("agentPid").asLong(), "KILL");
        Cli.signal(w.get("serverPid").asLong(), "KILL");
        awaitNewWriter(name, Duration.ofSeconds(20));
        // remove the old writer's WAL: pg_rewind cannot find where it diverged, so the agent must re-clone
        Path wal = stateDir.resolve("clusters/demo").resolve(name).resolve("data/pg_wal");
        try (Stream<Path> files = Files.list(wal)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("[0-9A-F]{24}")).toList()) {
                Files.delete(f);
            }
        }
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "180s");
        assertThat(r.exit()).as("up: %s", r.err()).isZero();
        assertThat(Files.readString(stateDir.resolve("logs/agent-" + w.get("az").asText() + ".log")))
                .contains("re-cloning: rewinding my former writer's data");
        JsonNode back = Cli.member(Cli.status(stateDir), name);
        assertThat(back.get("role").asText()).isEqualTo("reader");
        assertThat(back.get("streaming").asBoolean()).isTrue();
        assertThat(Files.exists(stateDir.resolve("clusters/demo").resolve(name).resolve("data.old"))).isFalse();
    }

    @Test
    @Order(7)
    void switchoverAndSwitchback_nothingLostOldWriterFollows() throws Exception {
        String first = writer().get("name").asText();
        fault();
        Cli.Result over = Cli.run("switchover", "--state-dir", stateDir.toString());
        assertThat(over.exit()).as("switchover: %s", over.err()).isZero();
        assertThat(over.out()).contains("switchover done");
        String second = writer().get("name").asText();
        assertThat(second).isNotEqualTo(first);
        JsonNode old = Cli.member(Cli.status(stateDir), first);
        assertThat(old.get("role").asText()).isEqualTo("reader");
        assertThat(old.get("upstream").asText()).isEqualTo(second);
        // 4 s, not 3: since backups (issue 13) the old writer's clean stop switches its last segment
        // and waits for the archiver to push it through pgBackRest (0.7-0.8 s; docs/HA.md); measured
        // 2.55-3.33 s on the shared 2-core host. Back to 3 s is issue 18's (every fault under 3 s)
        assertThat(workload.longestGap(faultAt)).as("switchover unavailability").isLessThan(Duration.ofSeconds(4));
        assertThat(workload.awaitMoreAcks(20, Duration.ofSeconds(10))).isTrue();

        Cli.Result back = Cli.run("switchover", "--to", first, "--state-dir", stateDir.toString());
        assertThat(back.exit()).as("switchback: %s", back.err()).isZero();
        assertThat(writer().get("name").asText()).isEqualTo(first);

        Cli.Result history = Cli.run("history", "--state-dir", stateDir.toString());
        assertThat(history.out()).contains(second + " ", first + " ");
        Cli.Result events = Cli.run("events", "--state-dir", stateDir.toString(), "--limit", "200");
        assertThat(events.out()).contains("switchover-requested", "stepped-down", "promoted");
    }

    @Test
    @Order(8)
    void badRequests_changeNothing() throws Exception {
        String w = writer().get("name").asText();
        fault();
        Cli.Result self = Cli.run("switchover", "--to", w, "--state-dir", stateDir.toString());
        assertThat(self.exit()).isEqualTo(1);
        assertThat(self.err()).contains("is already the writer");
        Cli.Result unknown = Cli.run("switchover", "--to", "nope-9", "--state-dir", stateDir.toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("is not an instance of cluster demo");
        Cli.Result forced = Cli.run("events", "--limit", "0", "--state-dir", stateDir.toString());
        assertThat(forced.exit()).isEqualTo(1);
        assertThat(writer().get("name").asText()).isEqualTo(w);
    }

    @Test
    @Order(9)
    void pause_noAutomaticRestartUntilResume() throws Exception {
        JsonNode w = writer();
        assertThat(Cli.run("pause", "--state-dir", stateDir.toString()).exit()).isZero();
        try {
            assertThat(Cli.run("status", "--state-dir", stateDir.toString()).out()).contains("PAUSED");
            assertThat(Cli.run("switchover", "--state-dir", stateDir.toString()).err()).contains("is paused");
            fault();
            Cli.signal(w.get("serverPid").asLong(), "KILL");
            Thread.sleep(3000);
            assertThat(Cli.member(Cli.status(stateDir), w.get("name").asText()).get("state").asText())
                    .as("paused: the killed server stays down").isEqualTo("stopped");
        } finally {
            assertThat(Cli.run("resume", "--state-dir", stateDir.toString()).exit()).isZero();
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Cli.member(Cli.status(stateDir), w.get("name").asText()).get("state").asText().equals("running"));
    }
}
