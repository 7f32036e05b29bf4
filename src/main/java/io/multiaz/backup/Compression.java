package io.multiaz.backup;

import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the repository compresses WAL and backup files: pgBackRest's {@code compress-type}, best
 * first. zst and lz4 are optional in pgBackRest builds; {@link #detect} asks the installed one.
 */
public enum Compression {
    /** Zstandard: smaller than gz at a fraction of its CPU cost. */
    ZST("zst"),
    /** LZ4: the fastest, larger files. */
    LZ4("lz4"),
    /** gzip: in every build. */
    GZ("gz");

    private static final Logger LOG = LoggerFactory.getLogger(Compression.class);
    /** pgBackRest's exit status when a command's parameter is missing: the options parsed, so the type is built in. */
    private static final int PARAM_REQUIRED = 43;

    private final String word;

    Compression(String word) {
        this.word = word;
    }

    /** The value of pgBackRest's {@code compress-type}. */
    public String word() {
        return word;
    }

    /**
     * The best compression the installed pgBackRest was built with. Each type is tried on an
     * {@code archive-push} with no WAL file: pgBackRest checks the type while it reads its options
     * (refusing one it lacks with error 32) and only then finds the WAL file missing (error 43), so
     * nothing is read or written.
     *
     * @param program the pgbackrest executable
     * @param runAs   OS user to run it as, or null for ourselves
     */
    public static Compression detect(Path program, String runAs) {
        ProcessRunner runner = new ProcessRunner();
        for (Compression c : List.of(ZST, LZ4)) {
            if (builtIn(runner, program, runAs, c)) {
                return c;
            }
        }
        return GZ;
    }

    private static boolean builtIn(ProcessRunner runner, Path program, String runAs, Compression c) {
        Command probe = Command.of("probe of pgBackRest's " + c.word + " support", "install pgbackrest",
                List.of(program.toString(), "--config=/dev/null", "--stanza=probe", "--compress-type=" + c.word,
                        "--repo1-path=/nonexistent", "--log-level-file=off", "--log-level-console=error",
                        "archive-push")).withoutInheritedEnv("PGBACKREST_").inDirectory(Path.of("/"));
        try {
            ProcessResult r = runner.run(runAs == null ? probe : probe.asUser(runAs), Duration.ofSeconds(20));
            LOG.debug("pgBackRest {} support probe: exit {}, {}", c.word, r.exitCode(), r.tailText());
            return r.exitCode() == PARAM_REQUIRED;
        } catch (ProcessException e) {
            throw new BackupException(BackupException.Reason.NOT_RUN, "could not run " + program + " to see which"
                    + " compression it supports: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return word;
    }
}
