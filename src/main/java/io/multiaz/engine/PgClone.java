package io.multiaz.engine;

import io.multiaz.model.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fills an empty data directory with a base backup of another member (pg_basebackup, WAL streamed
 * alongside, fast checkpoint). The copy lands in {@code <instanceDir>/data.cloning}, is configured as
 * a standby of that member (standby.signal included) and only then renamed to {@code data}, so a
 * cloned directory never reads as a primary and a crash leaves nothing half-copied in place.
 *
 * <p>A data directory to be replaced is first moved aside to {@code <instanceDir>/data.old}
 * ({@link #discardData()}) and deleted only after the next clone succeeded, so a failed clone still
 * leaves the old copy for an operator to inspect.
 *
 * <p>Thread safety: not thread-safe; one call at a time per instance directory. Blocks for as long
 * as the copy takes; progress is logged at info.
 */
final class PgClone {
    private static final Logger log = LoggerFactory.getLogger(PgClone.class);
    static final String WORK_DIR = "data.cloning";
    static final String DISCARDED_DIR = "data.old";
    private static final Duration TIMEOUT = Duration.ofHours(12);

    private final EngineSettings settings;
    private final PgBinaries bin;
    private final PgCommand command;
    private final PgFiles files;
    private final PgConfigWriter config;

    PgClone(EngineSettings settings, PgBinaries bin, PgCommand command, PgFiles files, PgConfigWriter config) {
        this.settings = settings;
        this.bin = bin;
        this.command = command;
        this.files = files;
        this.config = config;
    }

    /**
     * Copies {@code upstream}'s data directory into place as a standby following it.
     *
     * @throws EngineException when the data directory is not empty or the copy fails
     */
    void cloneFrom(Upstream upstream) {
        Path data = settings.dataDir();
        if (!PgFiles.isMissingOrEmpty(data)) {
            throw new EngineException("data directory " + data + " already holds data; cloneFrom() only fills an "
                    + "empty one: rewind it, or move it aside first if it is to be discarded");
        }
        files.ensurePrivateDir(settings.instanceDir());
        Path work = settings.instanceDir().resolve(WORK_DIR);
        if (!PgFiles.isMissingOrEmpty(work)) {
            log.warn("removing {} left over from an interrupted clone; copying again from scratch", work);
        }
        PgFiles.deleteTree(work);
        log.info("cloning {} from {} ({}:{})", settings.instance().name(), upstream.name(), upstream.host(),
                upstream.port());
        runBaseBackup(upstream, work);
        config.write(work, PgServerConfig.standby(upstream));
        PgFiles.deleteTree(data);
        PgFiles.renameIntoPlace(work, data);
        log.info("cloned {} from {} into {}", settings.instance().name(), upstream.name(), data);
        Path discarded = settings.instanceDir().resolve(DISCARDED_DIR);
        if (Files.exists(discarded)) {
            PgFiles.deleteTree(discarded);
            log.info("removed {}, the data directory {} held before this clone", discarded,
                    settings.instance().name());
        }
    }

    /**
     * Moves the data directory to {@code data.old}, replacing an older one there; no-op when there
     * is no data directory. The caller has checked that the server is stopped.
     */
    void discardData() {
        Path data = settings.dataDir();
        if (!Files.exists(data)) {
            log.info("{} has no data directory {}; nothing to discard", settings.instance().name(), data);
            return;
        }
        Path discarded = settings.instanceDir().resolve(DISCARDED_DIR);
        if (Files.exists(discarded)) {
            log.info("removing {} (data discarded earlier) to make room for the current data directory", discarded);
        }
        PgFiles.deleteTree(discarded);
        PgFiles.renameIntoPlace(data, discarded);
        log.warn("discarded the data directory of {}: moved {} to {}; it is deleted after the next clone",
                settings.instance().name(), data, discarded);
    }

    private void runBaseBackup(Upstream upstream, Path work) {
        String me = settings.instance().name();
        // Not the instance name: the copy's WAL stream must never count as a synchronous standby.
        String conninfo = "host=" + PgConfigWriter.conninfoValue(upstream.host()) + " port=" + upstream.port()
                + " user=" + PgConfigWriter.conninfoValue(settings.credentials().replicationUser())
                + " application_name=multiaz_clone_" + settings.instance().slotName()
                + " connect_timeout=5";
        PgCommand.Invocation inv = PgCommand.Invocation.of("cloning " + me + " from " + upstream.name(), TIMEOUT,
                "check that " + upstream.name() + " is running and admits replication from this host "
                        + "(pg_hba.conf, replication password), then retry",
                List.of(bin.program("pg_basebackup").toString(),
                        "-d", conninfo,
                        "-D", work.toString(),
                        "-X", "stream",
                        "-c", "fast",
                        "--no-password",
                        "--no-manifest",
                        "--progress"))
                .withEnv(Map.of("PGPASSWORD", settings.credentials().replicationPassword()));
        command.run(inv, line -> log.info("clone of {}: {}", me, line));
    }
}
