package io.multiaz.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drives pgBackRest for one deployment's repository: stanzas (one per cluster), backups taken from
 * a standby, the repository's contents, expiry and restores into new data directories, plus the
 * archive and restore commands the servers run. Every call is
 * {@code pgbackrest --config=<file> --stanza=<s> …} run as the server's OS user through
 * {@link io.multiaz.process.ProcessRunner}, with a timeout; a failure is a {@link BackupException} quoting
 * pgBackRest's error line and saying what to do next.
 *
 * <p>WAL: every member of a cluster runs {@code archive_mode = always} with
 * {@link #archivePushCommand}, so WAL reaches the repository from whichever member has it. A
 * segment pushed twice with the same content is accepted; the same name with other content is
 * refused (error 45) and that server's archiving stops there: two writers on one timeline.
 * pgBackRest refuses {@code always} unless told ({@code archive-mode-check=n} in the configuration).
 *
 * <p>Locks: a backup, an expire and a stanza command of one stanza exclude each other (error 50);
 * the first to start wins and the other fails at once.
 *
 * <p>Thread safety: immutable; calls may run concurrently from any threads, each blocking its
 * thread until pgBackRest exits or is killed at the timeout.
 */
public final class PgBackRest {
    /** stanza-create and check: check waits up to pgBackRest's archive-timeout (60 s) for a WAL segment. */
    static final Duration STANZA_TIMEOUT = Duration.ofMinutes(2);
    static final Duration INFO_TIMEOUT = Duration.ofMinutes(1);
    static final Duration EXPIRE_TIMEOUT = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(PgBackRest.class);
    private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern ANNOTATION_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern NEW_LABEL = Pattern.compile("new backup label = (\\S+)");

    private final RepositoryConfig config;
    private final PgBackRestCalls calls;

    /**
     * @param runAs   the servers' OS user, who runs pgBackRest; null: ourselves
     * @param program the pgbackrest executable ({@link #findProgram()})
     */
    public PgBackRest(RepositoryConfig config, String runAs, Path program) {
        this.config = Objects.requireNonNull(config, "config");
        this.calls = new PgBackRestCalls(config, runAs, program);
    }

    /**
     * The pgbackrest executable on our {@code PATH}.
     *
     * @throws BackupException saying how to install it when there is none
     */
    public static Path findProgram() {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin");
        return Stream.of(path.split(":")).filter(d -> !d.isEmpty()).map(d -> Path.of(d, "pgbackrest"))
                .filter(p -> p.isAbsolute() && Files.isRegularFile(p) && Files.isExecutable(p)).findFirst()
                .orElseThrow(() -> new BackupException(BackupException.Reason.NOT_RUN, "pgbackrest is not installed"
                        + " (not found on PATH " + path + "); install it: apt-get install pgbackrest"));
    }

    /** The configuration every call names. */
    public RepositoryConfig config() {
        return config;
    }

    /**
     * The {@code archive_command} for the server of {@code dataDir}: an asynchronous
     * {@code archive-push} whose spool, lock and log live under {@code workDir}, so the members of
     * one stanza on one host never share an archiving process. It holds no secret (pgBackRest reads
     * the passphrase from the configuration file). Create the directories with {@link #createWorkDir}.
     */
    public String archivePushCommand(String stanza, Path dataDir, Path workDir) {
        return serverCommand(stanza, dataDir, workDir, List.of("--archive-async",
                "--spool-path=" + ShellWords.quote(workDir.resolve("spool")), "archive-push", "%p"));
    }

    private String serverCommand(String stanza, Path dataDir, Path workDir, List<String> tail) {
        requireStanza(stanza);
        requireAbsolute(dataDir, "data directory");
        requireAbsolute(workDir, "work directory");
        List<String> words = new ArrayList<>(List.of(ShellWords.quote(calls.program()),
                "--config=" + ShellWords.quote(config.file()), "--stanza=" + stanza,
                "--pg1-path=" + ShellWords.quote(dataDir), "--lock-path=" + ShellWords.quote(workDir.resolve("lock")),
                "--log-path=" + ShellWords.quote(workDir.resolve("log")), "--log-level-file=warn"));
        words.addAll(tail);
        return String.join(" ", words);
    }

    /**
     * Creates {@code workDir} and the spool, lock and log directories the server commands of
     * {@link #archivePushCommand} use, owned by the server's OS user (pgBackRest writes no log
     * file at all when its log directory is missing).
     */
    public void createWorkDir(Path workDir) {
        requireAbsolute(workDir, "work directory");
        try {
            for (String sub : List.of("spool", "lock", "log")) {
                calls.files().directory(workDir.resolve(sub));
            }
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "could not create pgBackRest's work"
                    + " directories under " + workDir + ": " + e + "; check that its parent is writable", e);
        }
    }

    /**
     * Creates the stanza for the cluster whose writer is {@code writer}. Idempotent: a stanza that
     * exists for the same cluster is accepted; one of another cluster (another system identifier,
     * e.g. a deleted cluster's name reused without {@link #stanzaDelete}) is an error (28).
     */
    public void stanzaCreate(String stanza, PgTarget writer) {
        requireStanza(stanza);
        List<String> args = new ArrayList<>(PgBackRestCalls.pgOptions(1, writer));
        args.add("stanza-create");
        calls.run("stanza-create of " + stanza, stanza, args, STANZA_TIMEOUT);
    }

    /**
     * Checks the stanza against its writer: the configuration, the connection, and that a WAL
     * segment switched on the writer reaches the repository (waits up to pgBackRest's
     * archive-timeout, 60 s).
     */
    public void check(String stanza, PgTarget writer) {
        requireStanza(stanza);
        List<String> args = new ArrayList<>(PgBackRestCalls.pgOptions(1, writer));
        args.add("check");
        calls.run("check of " + stanza, stanza, args, STANZA_TIMEOUT);
    }

    /**
     * Deletes the stanza and everything the repository holds for it (backups and WAL), for a
     * cluster that is gone: stops the stanza ({@code stop}, pgBackRest's precondition), forces the
     * delete (pgBackRest would otherwise refuse while a server of the cluster runs), and starts the
     * stanza name again ({@code start}: a delete of a stanza that is already gone leaves the stop
     * file, which would block a new cluster of the same name). A missing stanza is not an error.
     * Members still running fail to archive from then on.
     */
    public void stanzaDelete(String stanza) {
        requireStanza(stanza);
        calls.run("stop of " + stanza, stanza, List.of("stop"), STANZA_TIMEOUT);
        try {
            // pgBackRest wants a data directory to look for a running server in; --force skips that look
            calls.run("stanza-delete of " + stanza, stanza, List.of("--pg1-path=" + config.settings().home()
                    .resolve("no-cluster"), "--force", "stanza-delete"), EXPIRE_TIMEOUT);
        } finally {
            try {
                calls.run("start of " + stanza, stanza, List.of("start"), STANZA_TIMEOUT);
            } catch (BackupException e) {
                LOG.warn("stanza {} stays stopped ({}); run pgbackrest start for it before reusing its name", stanza,
                        e.getMessage());
            }
        }
    }

    /**
     * Takes a backup of the cluster whose writer is {@code writer}: from the first of
     * {@code standbys} that is up and in recovery when there are any ({@code backup-standby}: the
     * writer only runs pg_backup_start/stop, the files are read from the standby), else from the
     * writer. Waits until the WAL the set needs is archived.
     *
     * @param annotations key/value pairs stored with the set (keys of letters, digits, '.', '_', '-')
     * @param timeout     longest time to let it run; then it is killed and a later backup resumes it
     * @return the new set, as the repository lists it
     */
    public BackupResult backup(String stanza, PgTarget writer, List<PgTarget> standbys, BackupType type,
                               Map<String, String> annotations, Duration timeout) {
        requireStanza(stanza);
        Objects.requireNonNull(type, "type");
        List<String> args = new ArrayList<>(PgBackRestCalls.pgOptions(1, writer));
        for (int i = 0; i < standbys.size(); i++) {
            args.addAll(PgBackRestCalls.pgOptions(i + 2, standbys.get(i)));
        }
        if (!standbys.isEmpty()) {
            args.add("--backup-standby");
        }
        args.add("--type=" + type.word());
        new TreeMap<>(annotations).forEach((k, v) -> args.add("--annotation=" + annotation(k, v)));
        // the new set's label is only printed at log level info
        args.addAll(List.of("--log-level-console=info", "backup"));
        String what = type + " backup of " + stanza;
        PgBackRestCalls.Outcome outcome = calls.run(what, stanza, args, timeout);
        String label = newLabel(outcome.output(), what);
        BackupSet set = info(stanza).backup(label).orElseThrow(() -> new BackupException(
                BackupException.Reason.UNREADABLE_OUTPUT, "backup set " + label + " of " + stanza + " is not listed by"
                + " pgbackrest info right after the backup; look at pgBackRest's backup log"));
        LOG.info("{} backup {} of {} taken in {} ({} bytes of {} copied)", type, label, stanza, outcome.elapsed(),
                set.size().delta(), set.size().database());
        return new BackupResult(set, outcome.elapsed());
    }

    /** The label the backup printed ({@code new backup label = …}, at log level info). */
    private static String newLabel(String output, String what) {
        Matcher m = NEW_LABEL.matcher(output);
        String label = null;
        while (m.find()) {
            label = m.group(1);
        }
        if (label == null) {
            throw new BackupException(BackupException.Reason.UNREADABLE_OUTPUT, "the " + what + " ended without"
                    + " printing its label ('new backup label = …'); look for the newest set in pgbackrest info");
        }
        return label;
    }

    /**
     * What the repository holds for {@code stanza}, and the backup running now, if any. A stanza
     * that does not exist is reported ({@link StanzaStatus.State#MISSING}), not thrown.
     */
    public RepositoryInfo info(String stanza) {
        requireStanza(stanza);
        PgBackRestCalls.Outcome outcome = calls.run("info of " + stanza, stanza, List.of("--output=json", "info"),
                INFO_TIMEOUT);
        return InfoJson.parse(stanza, outcome.output(), calls.lockProgress(stanza));
    }

    /**
     * Expires the set {@code label} and the sets that depend on it (the differential and
     * incremental sets taken on top of it). pgBackRest refuses to expire the only full set of the
     * stanza (error 75): take another full backup first, or delete the stanza. The WAL the set
     * needed stays until {@link #expireArchive}.
     */
    public void expire(String stanza, String label) {
        requireStanza(stanza);
        Objects.requireNonNull(label, "label");
        calls.run("expire of backup set " + label + " of " + stanza, stanza, List.of("--set=" + label, "expire"),
                EXPIRE_TIMEOUT);
    }

    /**
     * Removes the WAL older than the oldest backup set: no set needs it, and no point before that
     * set can be restored anyway. Does nothing when the stanza holds no set (then nothing could
     * use the WAL either, but pgBackRest cannot be told to keep none).
     *
     * @return how many full sets the WAL was kept for (0: nothing was done)
     */
    public int expireArchive(String stanza) {
        requireStanza(stanza);
        long fulls = info(stanza).backups().stream().filter(b -> b.type() == BackupType.FULL).count();
        if (fulls == 0) {
            LOG.debug("no backup set in stanza {}: no WAL expired", stanza);
            return 0;
        }
        // pgBackRest keeps WAL from the oldest of the newest N full sets; N = all of them keeps what any set needs
        calls.run("expire of the WAL of " + stanza, stanza, List.of("--repo1-retention-archive-type=full",
                "--repo1-retention-archive=" + fulls, "expire"), EXPIRE_TIMEOUT);
        return (int) fulls;
    }

    /**
     * Restores the stanza into {@code targetDataDir}, a new cluster's data directory (created,
     * owned by the servers' OS user, when missing; restored over with {@code --delta} when it
     * holds files). pgBackRest writes {@code recovery.signal} and its recovery settings (with
     * {@code archive_mode = 'off'}, so the restored server archives nothing into this stanza) to
     * {@code postgresql.auto.conf}. Starting the server carries the recovery out; it promotes
     * itself at the target. Then remove the settings with {@link RecoverySettings#clear}.
     *
     * @throws BackupException ({@link BackupException.Reason#REFUSED}) when the repository holds no
     *                         set the target can start from (a time before the oldest set ended, a
     *                         label it does not list); nothing is written then
     */
    public void restore(String stanza, Path targetDataDir, RestoreTarget target, Duration timeout) {
        requireStanza(stanza);
        requireAbsolute(targetDataDir, "target data directory");
        Objects.requireNonNull(target, "target");
        List<String> args = new ArrayList<>(List.of("--pg1-path=" + targetDataDir));
        args.addAll(RestorePlan.options(info(stanza), target));
        args.add("--archive-mode=off");
        if (holdsFiles(targetDataDir)) {
            args.add("--delta");
        }
        args.add("restore");
        createDirectory(targetDataDir);
        PgBackRestCalls.Outcome outcome = calls.run("restore of " + stanza + " into " + targetDataDir, stanza, args,
                timeout);
        LOG.info("restored {} to {} into {} in {}", stanza, target, targetDataDir, outcome.elapsed());
    }

    private void createDirectory(Path dir) {
        try {
            calls.files().directory(dir);
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "could not create " + dir + ": " + e
                    + "; check that its parent is writable", e);
        }
    }

    private static boolean holdsFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "could not list " + dir + ": " + e
                    + "; check its permissions", e);
        }
    }

    private static String annotation(String key, String value) {
        if (key == null || !ANNOTATION_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("an annotation key is 1-64 letters, digits, '.', '_' or '-', got "
                    + key);
        }
        if (value == null || value.isEmpty() || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("annotation " + key + " needs a value without control characters");
        }
        return key + "=" + value;
    }

    static void requireStanza(String stanza) {
        if (stanza == null || !STANZA.matcher(stanza).matches()) {
            throw new IllegalArgumentException("a stanza name is 1-63 letters, digits, '_', '.' or '-' starting with"
                    + " a letter or digit, got " + stanza);
        }
    }

    private static void requireAbsolute(Path path, String what) {
        if (path == null || !path.isAbsolute()) {
            throw new IllegalArgumentException("the " + what + " must be an absolute path, got " + path);
        }
    }
}
