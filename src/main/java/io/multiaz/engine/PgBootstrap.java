package io.multiaz.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Creates a new cluster's data directory with initdb. The work happens in
 * {@code <instanceDir>/data.initializing} and is renamed to {@code data} only once initdb succeeded
 * and multiaz's configuration is in place, so {@code data} is either absent or complete; a leftover
 * from a crash is removed first. The superuser's password reaches initdb through a 0600 file that
 * is removed afterwards, never through the command line.
 *
 * <p>Thread safety: not thread-safe; one call at a time per instance directory.
 */
final class PgBootstrap {
    private static final Logger log = LoggerFactory.getLogger(PgBootstrap.class);
    static final String WORK_DIR = "data.initializing";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final EngineSettings settings;
    private final PgBinaries bin;
    private final PgCommand command;
    private final PgFiles files;
    private final PgConfigWriter config;

    PgBootstrap(EngineSettings settings, PgBinaries bin, PgCommand command, PgFiles files, PgConfigWriter config) {
        this.settings = settings;
        this.bin = bin;
        this.command = command;
        this.files = files;
        this.config = config;
    }

    /**
     * Runs initdb and moves the result into place, configured as a primary without synchronous standbys.
     *
     * @throws EngineException when the data directory is not empty or initdb fails
     */
    void initialize() {
        Path data = settings.dataDir();
        if (!PgFiles.isMissingOrEmpty(data)) {
            throw new EngineException("data directory " + data + " already holds data; initialize() only creates a "
                    + "new one: start the existing one, or move it aside first if it is to be discarded");
        }
        files.ensurePrivateDir(settings.instanceDir());
        Path work = settings.instanceDir().resolve(WORK_DIR);
        removeLeftover(work);
        runInitdb(work);
        config.write(work, PgServerConfig.primary(""));
        PgFiles.deleteTree(data);
        PgFiles.renameIntoPlace(work, data);
        log.info("initialized a new data directory {} for instance {}", data, settings.instance().name());
    }

    private void removeLeftover(Path work) {
        if (!PgFiles.isMissingOrEmpty(work)) {
            log.warn("removing {} left over from an interrupted initdb; initdb starts again from scratch", work);
        }
        PgFiles.deleteTree(work);
    }

    private void runInitdb(Path work) {
        Path pwfile = settings.instanceDir().resolve(".initdb-password");
        files.writeAtomically(pwfile, settings.credentials().superuserPassword() + "\n");
        try {
            command.run(PgCommand.Invocation.of("initdb of " + settings.instance().name(), TIMEOUT,
                    "check free space and permissions of " + settings.instanceDir() + ", then retry",
                    List.of(bin.program("initdb").toString(),
                            "-D", work.toString(),
                            "--data-checksums",
                            "--auth-local=peer",
                            "--auth-host=scram-sha-256",
                            "-U", settings.credentials().superuser(),
                            "--pwfile=" + pwfile,
                            // C collation: identical sort order on every host, whatever its glibc.
                            "--encoding=UTF8",
                            "--locale=C",
                            "--no-instructions")));
        } finally {
            PgFiles.deleteQuietly(pwfile);
        }
    }
}
