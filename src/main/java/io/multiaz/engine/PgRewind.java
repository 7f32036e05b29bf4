package io.multiaz.engine;

import io.multiaz.model.DataState;
import io.multiaz.model.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Turns a stopped server's data directory — typically a former writer's, whose WAL went past the
 * point where the new writer's timeline forked — into a standby of {@code upstream} with pg_rewind,
 * so it need not be copied again in full.
 *
 * <p>pg_rewind accepts only a cleanly shut down directory. One that crashed or was stopped
 * immediately is first taken through crash recovery: a former primary in single-user mode (it must
 * never accept connections as a writer again), a standby by a normal start and stop as a standby
 * without upstream (single-user mode refuses standby mode, and dropping standby.signal even for a
 * moment would make it read as a primary). pg_rewind then copies what changed from {@code upstream}
 * (as the agents' superuser, password in the environment) and the configuration is rewritten as a
 * standby following it; pg_rewind copies the source's configuration files, so this step is required.
 * A source promoted moments ago is first made to checkpoint (see {@link #checkpointAfterPromotion}).
 *
 * <p>Thread safety: not thread-safe; one call at a time per instance. Blocks for as long as the
 * rewind takes; pg_rewind's progress is logged at info.
 */
final class PgRewind {
    private static final Logger log = LoggerFactory.getLogger(PgRewind.class);
    private static final Duration SINGLE_USER_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration REWIND_TIMEOUT = Duration.ofHours(6);
    private static final String RECLONE = "the agent will re-clone";

    private final EngineSettings settings;
    private final PgBinaries bin;
    private final PgCommand command;
    private final PgConfigWriter config;
    private final PgProcess process;
    private final PgControlData control;
    private final PgConnector connector;

    PgRewind(EngineSettings settings, PgBinaries bin, PgCommand command, PgConfigWriter config, PgProcess process,
             PgControlData control, PgConnector connector) {
        this.settings = settings;
        this.bin = bin;
        this.command = command;
        this.config = config;
        this.process = process;
        this.control = control;
        this.connector = connector;
    }

    /**
     * Rewinds the data directory onto {@code upstream}'s timeline and configures it as its standby;
     * leaves the server stopped. The caller has checked that the server is stopped and that
     * {@code data} (the directory's state) is not empty.
     *
     * @throws EngineException naming pg_rewind's last lines when it fails; the caller re-clones
     */
    void rewind(DataState data, Upstream upstream) {
        String me = settings.instance().name();
        Path dir = settings.dataDir();
        String state = control.clusterState(dir);
        if (!PgControlData.CLEAN_SHUTDOWN.contains(state)) {
            log.info("{} was not shut down cleanly (cluster state '{}'); running crash recovery before pg_rewind",
                    me, state);
            finishCrashRecovery(data);
            state = control.clusterState(dir);
            if (!PgControlData.CLEAN_SHUTDOWN.contains(state)) {
                throw new EngineException("crash recovery left " + me + " in cluster state '" + state + "', which "
                        + "pg_rewind cannot work on; see " + settings.logFile() + "; " + RECLONE);
            }
        }
        log.info("rewinding {} onto the timeline of {} ({}:{})", me, upstream.name(), upstream.host(), upstream.port());
        checkpointAfterPromotion(upstream);
        runPgRewind(upstream);
        config.write(dir, PgServerConfig.standby(upstream));
        log.info("rewound {}; it starts as a standby of {}", me, upstream.name());
    }

    private void finishCrashRecovery(DataState data) {
        String me = settings.instance().name();
        if (data == DataState.STANDBY) {
            config.write(settings.dataDir(), PgServerConfig.standby(null));
            try {
                process.start();
                process.stop();
            } catch (EngineException e) {
                throw new EngineException("crash recovery of standby " + me + " failed: " + e.getMessage() + "; "
                        + RECLONE, e);
            }
            return;
        }
        // archive_mode off: WAL of a diverged history must not reach an archive.
        command.run(PgCommand.Invocation.of("crash recovery of " + me + " in single-user mode", SINGLE_USER_TIMEOUT,
                        "its last lines are quoted above; " + RECLONE,
                        List.of(bin.program("postgres").toString(), "--single", "-D", settings.dataDir().toString(),
                                "-c", "archive_mode=off", "postgres")),
                line -> log.info("crash recovery of {}: {}", me, line));
    }

    /**
     * Makes a just-promoted source write a checkpoint. PostgreSQL 15's pg_rewind takes the source's
     * timeline from its last checkpoint, so until the first one after promotion it sees the old
     * timeline, reports "no rewind required" and leaves a diverged directory that cannot follow.
     */
    private void checkpointAfterPromotion(Upstream upstream) {
        String sql = """
                SELECT (SELECT timeline_id FROM pg_control_checkpoint()),
                       CASE WHEN pg_is_in_recovery() THEN 0
                            ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END""";
        try (Connection c = connector.openTo(upstream.host(), upstream.port(), "postgres", PgConnector.ADMIN_TIMEOUT);
             Statement st = c.createStatement()) {
            long checkpointTimeline;
            long currentTimeline;
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                checkpointTimeline = rs.getLong(1);
                currentTimeline = rs.getLong(2);
            }
            if (currentTimeline > checkpointTimeline) {
                log.info("{} has not checkpointed since its promotion to timeline {}; requesting a checkpoint so "
                        + "pg_rewind sees that timeline", upstream.name(), currentTimeline);
                st.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            throw new EngineException("checking the timeline of rewind source " + upstream.name() + " at "
                    + upstream.host() + ":" + upstream.port() + " failed: " + e.getMessage() + "; check that it runs "
                    + "as the writer and admits the agents' superuser from this host; " + RECLONE, e);
        }
    }


    private void runPgRewind(Upstream upstream) {
        String me = settings.instance().name();
        String source = "host=" + PgConfigWriter.conninfoValue(upstream.host()) + " port=" + upstream.port()
                + " user=" + PgConfigWriter.conninfoValue(settings.credentials().superuser())
                + " dbname=postgres application_name=multiaz_rewind_" + settings.instance().slotName()
                + " connect_timeout=5";
        PgCommand.Result r = command.run(PgCommand.Invocation.of("pg_rewind of " + me + " from " + upstream.name(),
                        REWIND_TIMEOUT, "check that " + upstream.name() + " runs as the writer and admits the agents' "
                                + "superuser from this host; " + RECLONE,
                        List.of(bin.program("pg_rewind").toString(),
                                "--target-pgdata=" + settings.dataDir(),
                                "--source-server=" + source,
                                "--progress"))
                        .withEnv(Map.of("PGPASSWORD", settings.credentials().superuserPassword())),
                line -> log.info("pg_rewind of {}: {}", me, line));
        if (r.tail().stream().anyMatch(l -> l.contains("no rewind required"))) {
            log.info("pg_rewind found {} already on {}'s history; no files changed", me, upstream.name());
        }
    }
}
