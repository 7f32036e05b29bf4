package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local three-zone default end to end: {@code up} with real agents, ZooKeeper peers and
 * PostgreSQL servers; replication to both readers; semisynchronous commits; crash recovery of an
 * agent with its server; {@code down}, {@code up} again with the same data; the operator token;
 * {@code destroy}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class LocalClusterIT {
    private static Path stateDir;
    private static final List<Long> everyPid = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        stateDir = Cli.stateDir("state");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "27500", "--timeout", "240s");
        System.out.println(r.out() + r.err());
        assertThat(r.exit()).as("up: %s", r.err()).isZero();
        assertThat(r.out()).contains("cluster demo is ready").contains("postgresql://dbadmin:");
        rememberPids();
    }

    @AfterAll
    static void destroy() throws Exception {
        if (stateDir == null) {
            return;
        }
        Cli.Result r = Cli.run("destroy", "--state-dir", stateDir.toString());
        assertThat(r.exit()).as("destroy: %s", r.err()).isZero();
        assertThat(Files.exists(stateDir)).isFalse();
        for (long pid : everyPid) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    private static void rememberPids() throws Exception {
        for (JsonNode m : Cli.status(stateDir).get("members")) {
            everyPid.add(m.get("agentPid").asLong());
            everyPid.add(m.get("serverPid").asLong());
        }
    }

    private static JsonNode status() throws Exception {
        return Cli.status(stateDir);
    }

    private static String writerDsn() throws Exception {
        JsonNode s = status();
        return Cli.member(s, s.get("leader").asText()).get("dsn").asText();
    }

    private static List<JsonNode> readers() throws Exception {
        List<JsonNode> readers = new ArrayList<>();
        for (JsonNode m : status().get("members")) {
            if (m.get("role").asText().equals("reader")) {
                readers.add(m);
            }
        }
        return readers;
    }

    private static long count(String dsn) throws Exception {
        try (Connection c = Cli.connect(dsn); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(1)
    void up_statusJson_hasEveryFieldAndOneWriterTwoReaders() throws Exception {
        JsonNode s = status();
        assertThat(s.get("cluster").asText()).isEqualTo("demo");
        assertThat(s.get("members")).hasSize(3);
        int writers = 0;
        for (JsonNode m : s.get("members")) {
            for (String field : List.of("name", "az", "role", "state", "host", "port", "timeline", "lsn", "lagBytes",
                    "syncState", "reason", "agentPid", "serverPid", "dsn")) {
                assertThat(m.has(field)).as("member field %s in %s", field, m).isTrue();
            }
            assertThat(m.get("state").asText()).isEqualTo("running");
            assertThat(m.get("timeline").asLong()).isEqualTo(1);
            writers += m.get("role").asText().equals("writer") ? 1 : 0;
        }
        assertThat(writers).isEqualTo(1);
        assertThat(readers()).hasSize(2).allSatisfy(r -> assertThat(r.get("syncState").asText()).isEqualTo("quorum"));
        assertThat(s.get("members").findValuesAsText("az")).containsExactlyInAnyOrder("az-a", "az-b", "az-c");

        Cli.Result table = Cli.run("status", "--state-dir", stateDir.toString());
        assertThat(table.out()).contains("INSTANCE", "ZONE", "ROLE", "STATE", "TIMELINE", "LSN", "LAG", "SYNC",
                "LAST DECISION", "writer holding the lease", "reader streaming from");
    }

    @Test
    @Order(2)
    void up_insertOnWriter_rowsVisibleOnBothReaders() throws Exception {
        try (Connection c = Cli.connect(writerDsn()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id int PRIMARY KEY, note text)");
            st.execute("INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, 100) g");
        }
        for (JsonNode r : readers()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> count(r.get("dsn").asText()) == 100);
        }
    }

    @Test
    @Order(3)
    void semisync_bothStandbysStopped_commitWaitsUntilOneReturns() throws Exception {
        List<JsonNode> readers = readers();
        List<Long> first = Cli.tree(readers.get(0).get("serverPid").asLong());
        List<Long> second = Cli.tree(readers.get(1).get("serverPid").asLong());
        try (Connection c = Cli.connect(writerDsn())) {
            // one standby stopped: commits still succeed
            for (long pid : first) {
                Cli.signal(pid, "STOP");
            }
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(10);
                st.execute("INSERT INTO items VALUES (101, 'one standby down')");
            }
            // both stopped: the commit does not return
            for (long pid : second) {
                Cli.signal(pid, "STOP");
            }
            CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO items VALUES (102, 'waits for a standby')");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(3000);
            assertThat(commit).as("commit with no standby").isNotDone();
            // one standby back: the commit returns
            for (long pid : second) {
                Cli.signal(pid, "CONT");
            }
            commit.get(15, TimeUnit.SECONDS);
        } finally {
            for (long pid : first) {
                Cli.signal(pid, "CONT");
            }
            for (long pid : second) {
                Cli.signal(pid, "CONT");
            }
        }
        for (JsonNode r : readers) {
            await().atMost(Duration.ofSeconds(15)).until(() -> count(r.get("dsn").asText()) == 102);
        }
    }

    @Test
    @Order(4)
    void crash_agentAndServerKilled_upBringsItBackAsStandby() throws Exception {
        JsonNode victim = readers().get(0);
        String name = victim.get("name").asText();
        Cli.signal(victim.get("agentPid").asLong(), "KILL");
        Cli.signal(victim.get("serverPid").asLong(), "KILL");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Cli.member(status(), name).get("state").asText().equals("unreachable"));
        try (Connection c = Cli.connect(writerDsn()); Statement st = c.createStatement()) {
            st.setQueryTimeout(10);
            st.execute("INSERT INTO items VALUES (103, 'while " + name + " was down')");
        }

        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "180s");
        assertThat(r.exit()).as("up after crash: %s", r.err()).isZero();
        assertThat(r.out()).contains("started agent " + victim.get("az").asText()).contains("already running");
        rememberPids();
        JsonNode back = Cli.member(status(), name);
        assertThat(back.get("role").asText()).isEqualTo("reader");
        assertThat(back.get("streaming").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> count(back.get("dsn").asText()) == 103);
    }

    @Test
    @Order(5)
    void downThenUp_sameClusterSameData() throws Exception {
        JsonNode before = status();
        Cli.Result down = Cli.run("down", "--state-dir", stateDir.toString());
        assertThat(down.exit()).as("down: %s", down.err()).isZero();
        for (JsonNode m : before.get("members")) {
            for (String pid : List.of("agentPid", "serverPid")) {
                long p = m.get(pid).asLong();
                await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
            }
        }
        assertThat(Cli.run("status", "--state-dir", stateDir.toString()).exit()).isEqualTo(1);

        Cli.Result up = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "180s");
        assertThat(up.exit()).as("up again: %s", up.err()).isZero();
        rememberPids();
        assertThat(count(writerDsn())).isEqualTo(103);
        JsonNode after = status();
        assertThat(after.get("leader").asText()).isEqualTo(before.get("leader").asText());
    }

    /**
     * Issue 12, security: a state dir written before operator tokens gets one from {@code up}; the
     * agents refuse pause without it (401) and the CLI, which sends it, pauses and resumes; the
     * token is in no log and no agent's command line.
     */
    @Test
    @Order(6)
    void operatorToken_addedByUpToAnOldStateDir_requiredByPause_andInNoLog() throws Exception {
        assertThat(Cli.run("down", "--state-dir", stateDir.toString()).exit()).isZero();
        Path layoutFile = stateDir.resolve("multiaz.yaml");
        String yaml = Files.readString(layoutFile);
        assertThat(yaml).contains("operatorToken: ");
        Files.writeString(layoutFile, String.join("\n", yaml.lines().filter(l -> !l.startsWith("operatorToken:"))
                .toList()));
        Cli.Result up = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "180s");
        assertThat(up.exit()).as("up: %s", up.err()).isZero();
        assertThat(up.out()).contains("created the operator token");
        rememberPids();
        var layout = io.multiaz.config.LayoutFile.read(layoutFile);
        String token = layout.operatorToken().value();
        assertThat(Files.getPosixFilePermissions(layoutFile)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

        var http = java.net.http.HttpClient.newHttpClient();
        var pause = java.net.http.HttpRequest.newBuilder(java.net.URI.create(layout.zones().get(0).healthUrl()
                + "/pause")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        var refused = http.send(pause, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("operator token").contains(layoutFile.toString());
        assertThat(status().get("paused").asBoolean()).isFalse();

        assertThat(Cli.run("pause", "--state-dir", stateDir.toString()).exit()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> status().get("paused").asBoolean());
        assertThat(Cli.run("resume", "--state-dir", stateDir.toString()).exit()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> !status().get("paused").asBoolean());

        try (var logs = Files.walk(stateDir.resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)).as(log.toString())
                        .doesNotContain(token);
            }
        }
        for (JsonNode m : status().get("members")) {
            Path cmdline = Path.of("/proc", m.get("agentPid").asText(), "cmdline");
            assertThat(Files.readString(cmdline, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);
        }
    }
}
