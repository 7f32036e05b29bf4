package io.multiaz.engine;

import io.multiaz.model.Credentials;
import io.multiaz.model.DataState;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.LocalServer;
import io.multiaz.model.Upstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real PostgreSQL 15+: the engine's failover steps on a writer A and a semisynchronous standby B —
 * detach B, stop A at once, promote B, rewind A onto B's timeline — and the re-clone path.
 */
final class PostgresEngineFailoverIT {
    private static final int PORT_A = 25450;
    private static final int PORT_B = 25451;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Upstream UPSTREAM_A = new Upstream("a", "127.0.0.1", PORT_A);
    private static final Upstream UPSTREAM_B = new Upstream("b", "127.0.0.1", PORT_B);

    @TempDir
    Path tmp;

    private final Credentials credentials = Credentials.generate("master", new SecureRandom());
    private final List<PostgresEngine> engines = new ArrayList<>();
    private final Set<ProcessHandle> serverProcesses = new HashSet<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @BeforeEach
    void letServerUserTraverseTempDir() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stopEverything() {
        executor.shutdownNow();
        RuntimeException first = null;
        for (PostgresEngine engine : engines) {
            try {
                engine.stop();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            } finally {
                engine.close();
            }
        }
        // A server the engine lost track of (e.g. a test failed mid-rewind) must not outlive the test.
        serverProcesses.stream().filter(PostgresEngineFailoverIT::runs).forEach(ProcessHandle::destroyForcibly);
        if (first != null) {
            throw first;
        }
    }

    @Test
    void failover_detachStopNowPromoteRewind_oldWriterFollowsNewOne() throws Exception {
        PostgresEngine a = engine("a", PORT_A);
        PostgresEngine b = engine("b", PORT_B);
        writerWithStreamingStandby(a, b);
        insert(PORT_A, 1, 2, 3);
        try (Connection reader = connect(PORT_B)) {
            await().atMost(PATIENCE).ignoreExceptions().until(() -> count(reader) == 3);
        }

        detachStandby(b);
        // A write only the old writer gets (locally committed): the rewind must take it away.
        try (Connection writer = connect(PORT_A)) {
            execute(writer, "SET synchronous_commit TO local");
            execute(writer, "INSERT INTO t VALUES (100)");
        }
        stopWriterNowFromAnotherThread(a);
        promoteStandby(b);
        // promote() put the new writer's synchronous standby in place before promotion
        assertThat(b.observe().syncStandbyNames()).isEqualTo("ANY 1 (\"a\")");
        // with a not following yet, only a local commit returns: the rewind must bring these to a
        try (Connection writer = connect(PORT_B)) {
            execute(writer, "SET synchronous_commit TO local");
            execute(writer, "INSERT INTO t VALUES (4)");
            execute(writer, "INSERT INTO t VALUES (5)");
        }
        b.configureWriter(1, List.of("a"), List.of("a"));

        assertThatThrownBy(() -> b.rewind(UPSTREAM_A)).isInstanceOf(EngineException.class)
                .hasMessageContaining("is running");
        a.rewind(UPSTREAM_B);
        assertThat(a.observe()).satisfies(s -> {
            assertThat(s.data()).isEqualTo(DataState.STANDBY);
            assertThat(s.running()).isFalse();
            assertThat(s.upstream()).isEqualTo("b");
        });
        startStandbyOf(a, "a", UPSTREAM_B, b);
        try (Connection reader = connect(PORT_A)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(ids(reader)).containsExactly(1, 2, 3, 4, 5));
        }
    }

    @Test
    void rewind_crashedStandby_recoversAsStandbyAndFollowsAgain() throws Exception {
        PostgresEngine a = engine("a", PORT_A);
        PostgresEngine b = engine("b", PORT_B);
        writerWithStreamingStandby(a, b);
        insert(PORT_A, 1);
        b.stopNow();

        assertThatThrownBy(() -> b.rewind(new Upstream("nobody", "127.0.0.1", 25469)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("the agent will re-clone");
        assertThat(b.observe().data()).isEqualTo(DataState.STANDBY);
        b.rewind(UPSTREAM_A);

        assertThat(b.observe().running()).isFalse();
        startStandbyOf(b, "b", UPSTREAM_A, a);
        insert(PORT_A, 2);
        try (Connection reader = connect(PORT_B)) {
            // the synchronous commit means b flushed it; replay follows a moment later
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(ids(reader)).containsExactly(1, 2));
        }
    }

    @Test
    void reclone_discardDataThenCloneFrom_leavesStreamingStandbyAndNoOldCopy() throws Exception {
        PostgresEngine a = engine("a", PORT_A);
        PostgresEngine b = engine("b", PORT_B);
        writerWithStreamingStandby(a, b);
        insert(PORT_A, 1);

        assertThatThrownBy(b::discardData).isInstanceOf(EngineException.class).hasMessageContaining("is running");
        b.stop();
        Path old = tmp.resolve("b").resolve(PgClone.DISCARDED_DIR);
        Files.createDirectories(old);
        Files.writeString(old.resolve("PG_VERSION"), "from an earlier discard");
        b.discardData();
        assertThat(b.observe().data()).isEqualTo(DataState.EMPTY);
        assertThat(old.resolve("PG_VERSION")).content().doesNotContain("earlier");

        b.cloneFrom(UPSTREAM_A);
        assertThat(old).doesNotExist();
        startStandbyOf(b, "b", UPSTREAM_A, a);
        insert(PORT_A, 2);
        try (Connection reader = connect(PORT_B)) {
            // the synchronous commit means b flushed it; replay follows a moment later
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(ids(reader)).containsExactly(1, 2));
        }
    }

    @Test
    void stopNow_postmasterFrozen_killsItAndItsChildrenByPid() throws Exception {
        PostgresEngine a = engine("a", PORT_A);
        a.initialize();
        a.start(ServerRole.PRIMARY, null);
        remember(a);
        long pid = a.observe().serverPid();
        // SIGSTOP: the postmaster cannot act on pg_ctl's immediate shutdown request.
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(pid)).inheritIO().start().waitFor()).isZero();

        long started = System.nanoTime();
        a.stopNow();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("stopNow() of a frozen postmaster took %d ms%n", tookMillis);
        assertThat(tookMillis).isLessThan(3000);
        assertThat(serverProcesses).isNotEmpty().noneMatch(PostgresEngineFailoverIT::runs);
        assertThat(a.observe().running()).isFalse();
    }

    private void writerWithStreamingStandby(PostgresEngine a, PostgresEngine b) throws SQLException {
        a.initialize();
        a.start(ServerRole.PRIMARY, null);
        a.completeBootstrap(List.of("b"));
        a.configureWriter(1, List.of("b"), List.of("b"));
        remember(a);
        b.cloneFrom(UPSTREAM_A);
        startStandbyOf(b, "b", UPSTREAM_A, a);
        try (Connection writer = connect(PORT_A)) {
            execute(writer, "CREATE TABLE t (id int PRIMARY KEY)");
        }
    }

    private void startStandbyOf(PostgresEngine standby, String name, Upstream upstream, PostgresEngine writer) {
        standby.start(ServerRole.STANDBY, upstream);
        remember(standby);
        long timeline = writer.observe().timeline();
        await().atMost(PATIENCE).until(() -> standby.observe().streaming());
        assertThat(standby.observe()).satisfies(s -> {
            assertThat(s.inRecovery()).isTrue();
            assertThat(s.upstream()).isEqualTo(upstream.name());
            assertThat(s.timeline()).isEqualTo(timeline);
        });
        // Semisynchronous: the writer counts the standby in its quorum before the test writes again.
        await().atMost(PATIENCE).until(() -> writer.observe().replicas().stream()
                .anyMatch(r -> r.name().equals(name) && r.syncState().equals("quorum")));
    }

    private void detachStandby(PostgresEngine b) throws SQLException {
        long started = System.nanoTime();
        b.detach();
        System.out.printf("detach() took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(b.observe()).satisfies(s -> {
            assertThat(s.running()).isTrue();
            assertThat(s.accepting()).isTrue();
            assertThat(s.inRecovery()).isTrue();
            assertThat(s.upstream()).isNull();
            assertThat(s.streaming()).isFalse();
            assertThat(s.data()).isEqualTo(DataState.STANDBY);
        });
        try (Connection reader = connect(PORT_B)) {
            assertThat(count(reader)).isEqualTo(3);
        }
    }

    private void stopWriterNowFromAnotherThread(PostgresEngine a) throws Exception {
        long pid = a.observe().serverPid();
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        Future<Long> stopping = executor.submit(() -> {
            long started = System.nanoTime();
            a.stopNow();
            return (System.nanoTime() - started) / 1_000_000;
        });
        // The HA loop keeps observing meanwhile; that must neither fail nor delay the stop.
        while (!stopping.isDone()) {
            a.observe();
        }
        long tookMillis = stopping.get(1, TimeUnit.SECONDS);
        System.out.printf("stopNow() took %d ms%n", tookMillis);
        assertThat(tookMillis).isLessThan(2000);
        assertThat(runs(postmaster)).isFalse();
        assertThat(a.observe().running()).isFalse();
        a.stopNow();
    }

    private void promoteStandby(PostgresEngine b) throws SQLException {
        long started = System.nanoTime();
        b.promote(1, List.of("a"));
        System.out.printf("promote() took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(b.observe()).satisfies(s -> {
            assertThat(s.inRecovery()).isFalse();
            assertThat(s.timeline()).isEqualTo(2);
            assertThat(s.upstream()).isNull();
            assertThat(s.data()).isEqualTo(DataState.PRIMARY);
        });
        assertThat(tmp.resolve("b/data/postgresql.conf")).content()
                .doesNotContain("primary_conninfo").contains("# multiaz role: primary");
        try (Connection reader = connect(PORT_B)) {
            assertThat(ids(reader)).containsExactly(1, 2, 3);
        }
        b.promote(1, List.of("a"));
        assertThat(b.observe().timeline()).isEqualTo(2);
    }

    private PostgresEngine engine(String name, int port) {
        PostgresEngine engine = new PostgresEngine(new EngineSettings(PgBinaries.find(null), tmp.resolve(name),
                runAs(), new InstanceSpec(name, "az-" + name, "127.0.0.1", port), "appdb", credentials,
                List.of("127.0.0.1/32"), Map.of("max_connections", "20", "shared_buffers", "32MB")));
        engines.add(engine);
        return engine;
    }

    /** PostgreSQL refuses to run as root; the OS packages create the postgres user. */
    private static String runAs() {
        return "root".equals(System.getProperty("user.name")) ? "postgres" : null;
    }

    /** Notes the postmaster and its children so cleanup can kill any the engine lost track of. */
    private void remember(PostgresEngine engine) {
        long pid = engine.observe().serverPid();
        assertThat(pid).isPositive();
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        serverProcesses.add(postmaster);
        postmaster.descendants().forEach(serverProcesses::add);
    }

    /** Alive and not a zombie waiting for init to reap it (ProcessHandle counts zombies as alive). */
    private static boolean runs(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                    .noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (IOException e) {
            return false;
        }
    }

    private void insert(int port, int... ids) throws SQLException {
        try (Connection writer = connect(port)) {
            for (int id : ids) {
                execute(writer, "INSERT INTO t VALUES (" + id + ")");
            }
        }
    }

    private Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/appdb?connectTimeout=5&socketTimeout=30",
                credentials.masterUser(), credentials.masterPassword());
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(Connection c) throws SQLException {
        return ids(c).size();
    }

    private static List<Integer> ids(Connection c) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM t ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }
}
