package io.multiaz.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;
import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;
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
import java.util.OptionalDouble;

/**
 * Runs one pgbackrest command line for {@link PgBackRest}: as the servers' OS user, in {@code /},
 * without inherited {@code PG*} or {@code PGBACKREST_*} variables (either would silently redirect
 * it), and turns a failure into a {@link BackupException} carrying pgBackRest's error number and
 * line. Also reads the progress a running backup leaves in its lock file.
 *
 * <p>Thread safety: immutable.
 */
final class PgBackRestCalls {
    private static final Logger LOG = LoggerFactory.getLogger(PgBackRestCalls.class);
    private static final Path ROOT = Path.of("/");
    /**
     * Characters of output kept: all of {@code info --output=json}, which grows by about 700
     * characters per backup set (the runner's default 64 K would cut it at some 90 sets).
     */
    static final int OUTPUT_LIMIT = 32 * 1024 * 1024;

    private final RepositoryConfig config;
    private final String runAs;
    private final Path program;
    private final ProcessRunner runner;
    private final OwnedFiles files;

    PgBackRestCalls(RepositoryConfig config, String runAs, Path program) {
        this.config = config;
        this.runAs = runAs == null || runAs.equals(System.getProperty("user.name")) ? null : runAs;
        this.program = Objects.requireNonNull(program, "program");
        this.runner = new ProcessRunner(OUTPUT_LIMIT, ProcessRunner.DEFAULT_DRAIN_GRACE);
        this.files = new OwnedFiles(this.runAs);
    }

    /** How a command that succeeded ended: its output (stdout and stderr, the end of it) and its run time. */
    record Outcome(String output, Duration elapsed) {
    }

    Path program() {
        return program;
    }

    OwnedFiles files() {
        return files;
    }

    /**
     * Runs {@code pgbackrest --config=<file> --stanza=<stanza> <args>}.
     *
     * @param what what it does, for logs and messages ("full backup of orders")
     * @throws BackupException when it exits non-zero, runs past {@code timeout}, cannot start or is interrupted
     */
    Outcome run(String what, String stanza, List<String> args, Duration timeout) {
        List<String> argv = new ArrayList<>(List.of(program.toString(), "--config=" + config.file(),
                "--stanza=" + stanza));
        argv.addAll(args);
        Command command = Command.of(what, "see pgBackRest's logs in " + config.settings().logDir(), argv)
                .withoutInheritedEnv("PGBACKREST_").withoutInheritedEnv("PG").withEnv(Map.of("LC_ALL", "C"))
                .inDirectory(ROOT);
        ProcessResult result;
        try {
            result = runner.run(runAs == null ? command : command.asUser(runAs), timeout);
        } catch (ProcessException e) {
            BackupException.Reason reason = e.failure() == ProcessException.Failure.TIMED_OUT
                    ? BackupException.Reason.TIMED_OUT : BackupException.Reason.NOT_RUN;
            throw new BackupException(reason, e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw failure(what, result);
        }
        LOG.debug("{} done in {}", what, result.elapsed());
        return new Outcome(result.output(), result.elapsed());
    }

    /** The exception for a run that exited non-zero: pgBackRest's error line and advice, else the end of its output. */
    BackupException failure(String what, ProcessResult result) {
        return PgBackRestErrors.find(result.output())
                .map(r -> new BackupException(BackupException.Reason.FAILED, r.code(), what + " failed: pgBackRest"
                        + " said '" + r.text() + "'; " + PgBackRestErrors.advice(r.code()), null))
                .orElseGet(() -> new BackupException(BackupException.Reason.FAILED, 0, what + " failed (pgbackrest"
                        + " exited with " + result.exitCode() + "): " + result.tailText() + "; see pgBackRest's logs"
                        + " in " + config.settings().logDir(), null));
    }

    /** The options naming server {@code index} (1 is the writer) for pgBackRest. */
    static List<String> pgOptions(int index, PgTarget target) {
        String p = "--pg" + index + "-";
        return List.of(p + "path=" + target.dataDir(), p + "port=" + target.port(),
                p + "socket-path=" + target.socketDir(), p + "user=" + target.user());
    }

    /**
     * The progress a running backup of {@code stanza} wrote into its lock file
     * ({@code <lock-path>/<stanza>-backup.lock}: {@code {"execId":…,"pctCplt":1463,"pid":…}} is
     * 14.63 %); pgBackRest 2.45 shows it in {@code info}'s text output only. Empty when there is no
     * such file or it holds no progress yet.
     */
    OptionalDouble lockProgress(String stanza) {
        Path lock = config.settings().lockDir().resolve(stanza + "-backup.lock");
        try {
            if (!Files.exists(lock)) {
                return OptionalDouble.empty();
            }
            return progressOf(Files.readString(lock));
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not read backup progress from {} ({}); reporting none", lock, e.toString());
            return OptionalDouble.empty();
        }
    }

    static OptionalDouble progressOf(String lockFileText) throws IOException {
        if (lockFileText.isBlank()) {
            return OptionalDouble.empty();
        }
        JsonNode pct = Json.mapper().readTree(lockFileText).path("pctCplt");
        return pct.isNumber() ? OptionalDouble.of(Math.min(100.0, pct.asLong() / 100.0)) : OptionalDouble.empty();
    }
}
