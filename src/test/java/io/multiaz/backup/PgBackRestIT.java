package io.multiaz.backup;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Real pgBackRest 2.45 and PostgreSQL 15 on this host: a writer and a streaming standby, both with
 * {@code archive_mode = always} and {@link PgBackRest#archivePushCommand}; a backup from the
 * standby; restores into new data directories to a time, to the set, across a promotion and to the
 * end of the archive; WAL archiving measured, and with an unwritable repository; expiry and the
 * stanza's deletion. Each test builds on the previous ones (ports 25500-25520, scratch in
 * /tmp/pgbr-it-*, every server stopped and the scratch removed at the end, even after a failure).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class PgBackRestIT {
    private static final Logger LOG = LoggerFactory.getLogger(PgBackRestIT.class);
    private static final String STANZA = "orders";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String IDS = "SELECT string_agg(id::text, ',' ORDER BY id) FROM orders";

    private static final List<LocalPg> started = new ArrayList<>();
    private static final Map<String, String> measured = new LinkedHashMap<>();
    private static long suiteStart;
    private static Path root;
    private static RepositoryConfig config;
    private static PgBackRest pgBackRest;
    private static LocalPg a;
    private static LocalPg b;
    private static BackupSet firstSet;
    /** Archive failures of both servers once the stanza existed (the servers archived before it did). */
    private static long failuresAtCreate;

    @BeforeAll
    static void writerAndStandby() throws Exception {
        suiteStart = System.nanoTime();
        root = Files.createTempDirectory(Path.of("/tmp"), "pgbr-it-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path program = PgBackRest.findProgram();
        Compression compression = Compression.detect(program, LocalPg.OS_USER);
        measured.put("compression", compression.word());
        config = RepositoryConfig.write(RepositorySettings.local(root.resolve("backups"), compression),
                LocalPg.OS_USER, new SecureRandom());
        pgBackRest = new PgBackRest(config, LocalPg.OS_USER, program);
        a = server("a", 25500);
        b = server("b", 25501);
        a.initdb(pgBackRest.archivePushCommand(STANZA, a.data(), a.work()));
        start(a);
        a.sql("CREATE TABLE orders (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
        b.cloneFrom(a, pgBackRest.archivePushCommand(STANZA, b.data(), b.work()));
        start(b);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            for (LocalPg s : started.reversed()) {
                Stopping.stop(s);
            }
            Stopping.awaitArchiversGone(root);
        } finally {
            measured.put("whole suite", Duration.ofNanos(System.nanoTime() - suiteStart).toMillis() + " ms");
            measured.forEach((what, value) -> LOG.info("measured: {}: {}", what, value));
            if (root != null) {
                try (Stream<Path> all = Files.walk(root)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    @Order(1)
    void stanzaCreate_twice_isAcceptedAndTheCheckPasses() throws IOException {
        pgBackRest.stanzaCreate(STANZA, a.target());
        pgBackRest.stanzaCreate(STANZA, a.target());

        pgBackRest.check(STANZA, a.target());

        failuresAtCreate = failedCount(a) + failedCount(b);
        measured.put("archive failures before the stanza existed (retried by PostgreSQL)", failuresAtCreate + "");
        assertThat(pgBackRest.info(STANZA).status().state()).isEqualTo(StanzaStatus.State.NO_BACKUPS);
        assertThat(config.settings().configFile()).isReadable();
        assertThat(Files.getOwner(config.file()).getName()).isEqualTo(LocalPg.OS_USER);
        // the ident map's catch-all line parsed (an invalid one is logged when the map is loaded)
        assertThat(a.logLines("regular expression")).isEmpty();
    }

    @Test
    @Order(2)
    void backup_fromTheStandby_isListedWithItsAnnotations() throws IOException {
        a.sql("INSERT INTO orders (id) VALUES (1), (2), (3)");

        BackupResult result = pgBackRest.backup(STANZA, a.target(), List.of(b.target()), BackupType.FULL,
                Map.of("multiaz-kind", "automated", "multiaz-cluster", STANZA), TIMEOUT);

        measured.put("full backup from the standby", result.elapsed().toMillis() + " ms");
        firstSet = result.set();
        assertThat(firstSet.type()).isEqualTo(BackupType.FULL);
        assertThat(firstSet.annotations()).containsEntry("multiaz-kind", "automated").containsEntry("multiaz-cluster",
                STANZA);
        assertThat(firstSet.lsnStop()).isGreaterThan(firstSet.lsnStart());
        assertThat(firstSet.walStart().timeline()).isEqualTo(1);
        assertThat(firstSet.size().database()).isPositive();
        assertThat(firstSet.size().repository()).isPositive().isLessThan(firstSet.size().database());
        assertThat(Files.readString(config.settings().logDir().resolve(STANZA + "-backup.log")))
                .contains("replay on the standby reached");
        RepositoryInfo info = pgBackRest.info(STANZA);
        assertThat(info.status().state()).isEqualTo(StanzaStatus.State.OK);
        assertThat(info.running()).isEmpty();
        assertThat(info.backups()).containsExactly(firstSet);
    }

    @Test
    @Order(3)
    void backup_standbyDown_failsSayingNoStandbyWasFound() {
        PgTarget gone = new PgTarget(root.resolve("gone/data"), 25519, root.resolve("gone"), LocalPg.SUPERUSER);

        assertThatThrownBy(() -> pgBackRest.backup(STANZA, a.target(), List.of(gone), BackupType.INCR, Map.of(),
                TIMEOUT))
                .isInstanceOfSatisfying(BackupException.class, e -> {
                    assertThat(e.reason()).isEqualTo(BackupException.Reason.FAILED);
                    LOG.info("a backup whose standby is down: {}", e.getMessage());
                })
                .hasMessageStartingWith("incr backup of orders failed: pgBackRest said '[");
    }

    @Test
    @Order(4)
    void restore_toATimeBetweenTwoCommits_hasExactlyTheRowsBefore() throws Exception {
        // pgBackRest's stop times are whole seconds: a set is surely restorable from the next second
        await().atMost(PATIENCE).until(() -> Instant.now().isAfter(firstSet.stopped().plusMillis(1200)));
        Instant between = commitsAround(a, 4, 5);
        String segment = a.sql("SELECT pg_walfile_name(pg_switch_wal())");
        awaitArchived(a, segment);
        // the standby archives the same segments (archive_mode = always): accepted as duplicates
        awaitArchived(b, segment);
        assertThat(failedCount(a) + failedCount(b)).isEqualTo(failuresAtCreate);
        LocalPg r1 = server("r1", 25510);

        long t = System.nanoTime();
        pgBackRest.restore(STANZA, r1.data(), new RestoreTarget.PointInTime(between), TIMEOUT);
        measured.put("restore to a time (files)", millisSince(t) + " ms");
        startRestored(r1);
        measured.put("restore to a time (files, recovery, promotion)", millisSince(t) + " ms");

        assertThat(r1.sql(IDS)).isEqualTo("1,2,3,4");
        assertThat(Files.readString(r1.data().resolve("postgresql.auto.conf"))).contains("restore_command");
        assertThat(RecoverySettings.clear(r1.data())).isTrue();
        assertThat(Files.readString(r1.data().resolve("postgresql.auto.conf")))
                .doesNotContain("restore_command", "recovery_target", "archive_mode");
        assertThat(Files.getOwner(r1.data().resolve("postgresql.auto.conf")).getName()).isEqualTo(LocalPg.OS_USER);
        r1.stop();
    }

    @Test
    @Order(5)
    void restore_ofTheSet_hasTheRowsAtTheBackup() throws Exception {
        LocalPg r2 = server("r2", 25511);

        long t = System.nanoTime();
        pgBackRest.restore(STANZA, r2.data(), new RestoreTarget.Snapshot(firstSet.label()), TIMEOUT);
        startRestored(r2);
        measured.put("restore of the set (files, recovery, promotion)", millisSince(t) + " ms");

        assertThat(r2.sql(IDS)).isEqualTo("1,2,3");
        r2.stop();
    }

    @Test
    @Order(6)
    void restore_toATimeAfterAPromotion_crossesTimelines() throws Exception {
        long failuresOfB = failedCount(b);
        a.stop();
        b.promote();
        await().atMost(PATIENCE).until(() -> "f".equals(b.sql("SELECT pg_is_in_recovery()")));
        assertThat(timeline(b)).isEqualTo(2);
        Instant between = commitsAround(b, 6, 7);
        awaitArchived(b, b.sql("SELECT pg_walfile_name(pg_switch_wal())"));
        assertThat(failedCount(b)).isEqualTo(failuresOfB);
        assertThat(repositoryHolds("00000002.history")).isTrue();
        LocalPg r3 = server("r3", 25512);

        pgBackRest.restore(STANZA, r3.data(), new RestoreTarget.PointInTime(between), TIMEOUT);
        startRestored(r3);

        assertThat(r3.sql(IDS)).isEqualTo("1,2,3,4,5,6");
        assertThat(timeline(r3)).isEqualTo(3);
        r3.stop();
    }

    @Test
    @Order(7)
    void restore_latestOverAnEarlierRestore_replaysTheWholeArchive() throws Exception {
        LocalPg r1 = new LocalPg("r1", root.resolve("r1"), 25510);

        pgBackRest.restore(STANZA, r1.data(), new RestoreTarget.Latest(), TIMEOUT);
        startRestored(r1);

        assertThat(r1.sql(IDS)).isEqualTo("1,2,3,4,5,6,7");
        r1.stop();
    }

    @Test
    @Order(8)
    void archive_commitAndSwitch_reachTheRepositoryWithinSeconds() throws IOException {
        List<Long> latencies = new ArrayList<>();
        for (int id = 100; id < 105; id++) {
            b.sql("INSERT INTO orders (id) VALUES (" + id + ")");
            String segment = b.sql("SELECT pg_walfile_name(pg_switch_wal())");
            long t = System.nanoTime();
            awaitArchived(b, segment);
            latencies.add(millisSince(t));
            assertThat(repositoryHolds(segment)).isTrue();
        }
        measured.put("archive latency, pg_switch_wal to pg_stat_archiver.last_archived_wal (5 runs)",
                latencies.stream().sorted().toList() + " ms");
    }

    @Test
    @Order(9)
    void archive_repositoryUnwritable_writerKeepsCommittingAndCatchesUpAfter() throws Exception {
        Path timeline2 = config.settings().localRepository().resolve("archive/" + STANZA + "/15-1/0000000200000000");
        long failedBefore = failedCount(b);
        Files.setPosixFilePermissions(timeline2, PosixFilePermissions.fromString("r-xr-x---"));
        String last;
        List<Long> commits = new ArrayList<>();
        try {
            b.sql("INSERT INTO orders (id) VALUES (200)");
            last = b.sql("SELECT pg_walfile_name(pg_switch_wal())");
            long t = System.nanoTime();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> failedCount(b) > failedBefore);
            measured.put("repository unwritable: first failure in pg_stat_archiver after", millisSince(t) + " ms");
            for (int id = 201; id < 211; id++) {
                long c = System.nanoTime();
                b.sql("INSERT INTO orders (id) VALUES (" + id + ")");
                commits.add(millisSince(c));
                last = b.sql("SELECT pg_walfile_name(pg_switch_wal())");
            }
            assertThat(b.count("orders")).isEqualTo(7 + 5 + 11);
        } finally {
            Files.setPosixFilePermissions(timeline2, PosixFilePermissions.fromString("rwxr-x---"));
        }
        measured.put("repository unwritable: commits (psql round trip)", commits + " ms");
        measured.put("repository unwritable: failures counted", (failedCount(b) - failedBefore) + "");
        long t = System.nanoTime();
        // after three failures in a row the archiver sleeps up to 60 s unless woken; a reload wakes it
        b.sql("SELECT pg_reload_conf()");
        awaitArchived(b, last);
        measured.put("repository writable again: caught up after a reload in", millisSince(t) + " ms");
        assertThat(b.sql("SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'")).isEqualTo("0");
        assertThat(repositoryHolds(last)).isTrue();
    }

    @Test
    @Order(10)
    void info_listsTheSetAndTheArchiveAcrossTimelines() {
        RepositoryInfo info = pgBackRest.info(STANZA);

        assertThat(info.backups()).containsExactly(firstSet);
        ArchiveRange archive = info.currentArchive().orElseThrow();
        assertThat(archive.min().orElseThrow()).isLessThanOrEqualTo(firstSet.walStart());
        assertThat(archive.max().orElseThrow().timeline()).isEqualTo(2);
        assertThat(info.databases()).hasSize(1);
    }

    @Test
    @Order(11)
    void expire_ofTheFirstSet_leavesTheSecondAndTheWalItNeeds() {
        BackupSet second = pgBackRest.backup(STANZA, b.target(), List.of(), BackupType.FULL,
                Map.of("multiaz-kind", "manual"), TIMEOUT).set();

        pgBackRest.expire(STANZA, firstSet.label());
        int keptFor = pgBackRest.expireArchive(STANZA);

        RepositoryInfo info = pgBackRest.info(STANZA);
        assertThat(info.backups()).containsExactly(second);
        assertThat(keptFor).isEqualTo(1);
        assertThat(info.currentArchive().orElseThrow().min()).contains(second.walStart());
        assertThatThrownBy(() -> pgBackRest.expire(STANZA, second.label()))
                .isInstanceOfSatisfying(BackupException.class, e -> assertThat(e.errorCode()).hasValue(75))
                .hasMessageContaining("cannot be expired until another full backup has been created");
    }

    @Test
    @Order(12)
    void stanzaDelete_removesTheStanzaEvenWithItsWriterRunning() {
        pgBackRest.stanzaDelete(STANZA);
        pgBackRest.stanzaDelete(STANZA);

        assertThat(pgBackRest.info(STANZA).status().state()).isEqualTo(StanzaStatus.State.MISSING);
        assertThat(config.settings().lockDir().resolve(STANZA + ".stop")).doesNotExist();
    }

    private static LocalPg server(String name, int port) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        LocalPg.chown(dir);
        LocalPg s = new LocalPg(name, dir, port);
        pgBackRest.createWorkDir(s.work());
        return s;
    }

    private static void start(LocalPg s) throws IOException {
        long pid = s.start();
        if (!started.contains(s)) {
            started.add(s);
        }
        LOG.info("started {} as pid {}", s, pid);
    }

    /** Starts a restored server here and waits until its recovery reached the target and it promoted. */
    private static void startRestored(LocalPg s) throws IOException {
        s.takeOverRestoredData();
        start(s);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> "f".equals(s.sql("SELECT pg_is_in_recovery()")));
    }

    /** Commits row {@code before}, then row {@code after} some time later; returns a time between the commits. */
    private static Instant commitsAround(LocalPg s, int before, int after) throws InterruptedException {
        s.sql("INSERT INTO orders (id) VALUES (" + before + ")");
        Thread.sleep(150);
        Instant between = Instant.now();
        Thread.sleep(150);
        s.sql("INSERT INTO orders (id) VALUES (" + after + ")");
        return between;
    }

    private static void awaitArchived(LocalPg s, String segment) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            String archived = s.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
            return archived.length() >= 24 && archived.substring(0, 24).compareTo(segment) >= 0;
        });
    }

    private static long failedCount(LocalPg s) {
        return Long.parseLong(s.sql("SELECT failed_count FROM pg_stat_archiver"));
    }

    private static int timeline(LocalPg s) {
        return Integer.parseInt(s.sql("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"), 16);
    }

    private static boolean repositoryHolds(String walFile) throws IOException {
        Path archive = config.settings().localRepository().resolve("archive/" + STANZA + "/15-1");
        if (walFile.endsWith(".history")) {
            return Files.exists(archive.resolve(walFile));
        }
        try (Stream<Path> files = Files.list(archive.resolve(walFile.substring(0, 16)))) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(walFile + "-"));
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
