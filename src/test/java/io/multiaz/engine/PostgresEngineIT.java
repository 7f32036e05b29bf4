package io.multiaz.engine;

import io.multiaz.model.Credentials;
import io.multiaz.model.DataState;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.LocalServer;
import io.multiaz.model.Lsn;
import io.multiaz.model.ReplicaLink;
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
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Real PostgreSQL 15+: a writer and a semisynchronous standby driven through {@link PostgresEngine}. */
final class PostgresEngineIT {
    private static final int PORT_A = 25401;
    private static final int PORT_B = 25402;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Upstream UPSTREAM_A = new Upstream("a", "127.0.0.1", PORT_A);

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
        if (first != null) {
            throw first;
        }
    }

    @Test
    void writerAndStandby_replicateSemisynchronously_andStopCleanly() throws Exception {
        PostgresEngine a = engine("a", PORT_A);
        PostgresEngine b = engine("b", PORT_B);

        initializeOverCrashLeftover(a);
        bootstrapWriter(a);
        cloneAndStartStandby(b);
        assertReplicatesSemisynchronously(a, b);
        assertCommitWaitsForStoppedStandby(b);
        b.follow(new Upstream("a-renamed", "127.0.0.1", PORT_A));
        await().atMost(PATIENCE).until(() -> {
            LocalServer s = b.observe();
            return s.streaming() && "a-renamed".equals(s.upstream());
        });

        b.stop();
        a.stop();
        assertThat(a.observe().running()).isFalse();
        assertThat(serverProcesses).isNotEmpty().noneMatch(PostgresEngineIT::runs);
    }

    @Test
    void stopCleanly_letsTransactionsAndHandshakesInFlightFinishFirst() throws Exception {
        PostgresEngine a = engine("a", PORT_A);
        a.initialize();
        a.start(ServerRole.PRIMARY, null);
        a.completeBootstrap(List.of());
        remember(a);
        Duration drain = Duration.ofMillis(1500);
        long elapsed;
        try (Connection idle = connect(PORT_A); Connection busy = connect(PORT_A);
             java.net.Socket handshaking = new java.net.Socket("127.0.0.1", PORT_A)) {
            execute(idle, "CREATE TABLE t (x int)");
            busy.setAutoCommit(false);
            execute(busy, "INSERT INTO t VALUES (1)");
            Future<?> commit = executor.submit(() -> {
                execute(busy, "SELECT pg_sleep(0.5)");
                busy.commit();
                return null;
            });
            await().atMost(PATIENCE).until(() -> sleeping(idle));
            long started = System.nanoTime();

            a.stopCleanly(drain);

            elapsed = (System.nanoTime() - started) / 1_000_000;
            commit.get(10, TimeUnit.SECONDS); // committed: the transaction in flight was let finish
        }
        // the handshake that never completes (a silent client) is waited for until the bound, not longer
        assertThat(elapsed).isGreaterThanOrEqualTo(drain.toMillis()).isLessThan(drain.toMillis() + 10_000);
        assertThat(a.observe().running()).isFalse();
        a.start(ServerRole.PRIMARY, null);
        try (Connection c = connect(PORT_A)) {
            assertThat(count(c)).isEqualTo(1);
        }
    }

    private static boolean sleeping(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private void initializeOverCrashLeftover(PostgresEngine a) throws Exception {
        Path leftover = tmp.resolve("a").resolve(PgBootstrap.WORK_DIR);
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("PG_VERSION"), "from a crashed initdb");
        assertThat(a.observe().data()).isEqualTo(DataState.EMPTY);

        a.initialize();

        assertThat(leftover).doesNotExist();
        assertThat(a.observe()).satisfies(s -> {
            assertThat(s.data()).isEqualTo(DataState.PRIMARY);
            assertThat(s.running()).isFalse();
            assertThat(s.systemId()).matches("[0-9]+");
        });
        if (runAs() != null) {
            assertThat(Files.getOwner(tmp.resolve("a/data")).getName()).isEqualTo(runAs());
            assertThat(Files.getOwner(tmp.resolve("a/data/postgresql.conf")).getName()).isEqualTo(runAs());
        }
        assertThat(Files.getPosixFilePermissions(tmp.resolve("a/data/postgresql.conf")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(a::initialize).isInstanceOf(EngineException.class).hasMessageContaining("already holds data");
    }

    private void bootstrapWriter(PostgresEngine a) {
        a.start(ServerRole.PRIMARY, null);
        a.completeBootstrap(List.of("b"));
        a.completeBootstrap(List.of("b"));
        a.configureWriter(1, List.of("b"), List.of("b"));
        remember(a);
        assertThat(a.observe()).satisfies(s -> {
            assertThat(s.accepting()).isTrue();
            assertThat(s.inRecovery()).isFalse();
            assertThat(s.timeline()).isEqualTo(1);
            assertThat(s.slots()).contains("b");
            assertThat(s.syncStandbyNames()).isEqualTo("ANY 1 (\"b\")");
        });
    }

    private void cloneAndStartStandby(PostgresEngine b) {
        b.cloneFrom(UPSTREAM_A);
        assertThat(b.observe().data()).isEqualTo(DataState.STANDBY);
        b.start(ServerRole.STANDBY, UPSTREAM_A);
        remember(b);
        await().atMost(PATIENCE).until(() -> b.observe().streaming());
        assertThat(b.observe()).satisfies(s -> {
            assertThat(s.inRecovery()).isTrue();
            assertThat(s.upstream()).isEqualTo("a");
            assertThat(s.timeline()).isEqualTo(1);
            assertThat(s.systemId()).isEqualTo(engines.getFirst().observe().systemId());
            assertThat(s.syncStandbyNames()).isEmpty();
        });
    }

    private void assertReplicatesSemisynchronously(PostgresEngine a, PostgresEngine b) throws SQLException {
        try (Connection writer = connect(PORT_A)) {
            execute(writer, "CREATE TABLE t (id int PRIMARY KEY)");
            execute(writer, "INSERT INTO t VALUES (1)");
        }
        try (Connection reader = connect(PORT_B)) {
            await().atMost(PATIENCE).ignoreExceptions().until(() -> count(reader) == 1);
        }
        Lsn writerFlushed = a.observe().flushedLsn();
        await().atMost(PATIENCE).until(() -> !writerFlushed.isAfter(b.observe().replayedLsn()));
        assertThat(b.observe().flushedLsn()).isGreaterThanOrEqualTo(writerFlushed);
        await().atMost(PATIENCE).until(() -> a.observe().replicas().stream()
                .anyMatch(r -> r.name().equals("b") && r.syncState().equals("quorum")));
        ReplicaLink link = a.observe().replicas().getFirst();
        assertThat(link.state()).isEqualTo("streaming");
    }

    private void assertCommitWaitsForStoppedStandby(PostgresEngine b) throws Exception {
        b.stop();
        assertThat(b.observe().running()).isFalse();
        try (Connection writer = connect(PORT_A)) {
            Future<?> commit = executor.submit(() -> {
                execute(writer, "INSERT INTO t VALUES (2)");
                return null;
            });
            assertThatThrownBy(() -> commit.get(2, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            b.start(ServerRole.STANDBY, UPSTREAM_A);
            remember(b);
            commit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        try (Connection reader = connect(PORT_B)) {
            assertThat(count(reader)).isEqualTo(2);
        }
    }

    @Test
    void constructor_badBinDir_namesDirectoryAndHowToInstall() {
        Path nowhere = tmp.resolve("no-postgres-here");
        EngineSettings settings = settings("a", PORT_A, nowhere);
        assertThatThrownBy(() -> new PostgresEngine(settings))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("PostgreSQL server binaries not found in " + nowhere)
                .hasMessageContaining("apt-get install postgresql-15 postgresql-contrib-15");
    }

    private PostgresEngine engine(String name, int port) {
        PostgresEngine engine = new PostgresEngine(settings(name, port, PgBinaries.find(null)));
        engines.add(engine);
        return engine;
    }

    private EngineSettings settings(String name, int port, Path binDir) {
        return new EngineSettings(binDir, tmp.resolve(name), runAs(), new InstanceSpec(name, "az-" + name, "127.0.0.1", port),
                "appdb", credentials, List.of("127.0.0.1/32"), Map.of("max_connections", "20", "shared_buffers", "32MB"));
    }

    /** PostgreSQL refuses to run as root; the OS packages create the postgres user. */
    private static String runAs() {
        return "root".equals(System.getProperty("user.name")) ? "postgres" : null;
    }

    /** Notes the postmaster and its children so the test can check none outlives stop(). */
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

    private Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/appdb?connectTimeout=5",
                credentials.masterUser(), credentials.masterPassword());
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
