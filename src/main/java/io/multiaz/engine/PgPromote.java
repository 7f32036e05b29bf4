package io.multiaz.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The failover candidate's two steps on its own running standby: {@link #detach()} stops its WAL
 * receiver, so the position it reported cannot move while the decision is made, and
 * {@link #promote()} takes it out of recovery onto a new timeline. Both change the configuration
 * file first (postgresql.conf is the record of whom a server follows and of its role), then act on
 * the running server, then wait until the server reports the change.
 *
 * <p>Thread safety: not thread-safe; one call at a time per instance. Each call opens and closes its
 * own superuser connection.
 */
final class PgPromote {
    private static final Logger log = LoggerFactory.getLogger(PgPromote.class);
    private static final Duration DETACH_WAIT = Duration.ofSeconds(2);
    private static final Duration PROMOTE_WAIT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 10;

    private final EngineSettings settings;
    private final PgConnector connector;
    private final PgConfigWriter config;

    PgPromote(EngineSettings settings, PgConnector connector, PgConfigWriter config) {
        this.settings = settings;
        this.connector = connector;
        this.config = config;
    }

    /**
     * Rewrites the configuration as a standby without upstream, reloads, and waits until no WAL
     * receiver runs. The caller has checked that the server is a running standby.
     *
     * @throws EngineException when the reload fails or a receiver still runs after {@link #DETACH_WAIT}
     */
    void detach() {
        String me = settings.instance().name();
        try (Connection c = connector.open("postgres", PgConnector.STATUS_TIMEOUT)) {
            config.write(settings.dataDir(), PgServerConfig.standby(null));
            reload(c);
            long deadline = System.nanoTime() + DETACH_WAIT.toNanos();
            String receiver;
            while ((receiver = receiverStatus(c)) != null) {
                if (System.nanoTime() - deadline > 0) {
                    throw new EngineException(me + " still has a WAL receiver (" + receiver + ") " + DETACH_WAIT
                            + " after its upstream was removed; see " + settings.logFile() + ", then call detach() "
                            + "again or stop it");
                }
                sleep("detach()");
            }
        } catch (SQLException e) {
            throw new EngineException("checking that " + me + " stopped its WAL receiver failed: " + e.getMessage()
                    + "; check that it accepts connections at " + connector.address() + ", then call detach() again", e);
        }
        log.info("{} detached from its upstream: WAL receiver stopped, still serving reads", me);
    }

    /** The WAL receiver's status, or null when none runs. */
    private static String receiverStatus(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT status FROM pg_stat_wal_receiver");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Promotes the running server (a no-op for the database when it is already out of recovery, for
     * instance after a crash between promotion and the configuration rewrite), then rewrites the
     * configuration as a primary with {@code syncStandbyNames} (loaded before promotion too), and
     * reloads, so a restart starts it as the writer.
     *
     * @throws EngineException when the server is unreachable or stays in recovery
     */
    void promote(String syncStandbyNames) {
        String me = settings.instance().name();
        long started = System.nanoTime();
        try (Connection c = connector.open("postgres", PgConnector.ADMIN_TIMEOUT)) {
            c.setAutoCommit(true);
            if (inRecovery(c)) {
                // every standby carries its future synchronous_standby_names from its start
                // (EngineSettings.promotionSyncNames); written again here in case the cluster changed since.
                // Reloads go through the open connection: pg_ctl would cost a process start each.
                config.write(settings.dataDir(), new PgServerConfig(ServerRole.STANDBY, null, syncStandbyNames));
                reload(c);
                requestPromotion(c);
                awaitOutOfRecovery(c);
            } else {
                log.info("{} is already out of recovery; only writing its primary configuration", me);
            }
            config.write(settings.dataDir(), PgServerConfig.primary(syncStandbyNames));
            reload(c);
        } catch (SQLException e) {
            throw new EngineException("promoting " + me + " failed: " + e.getMessage() + "; check that it runs as a "
                    + "standby and accepts connections at " + connector.address() + " (see " + settings.logFile()
                    + "), then call promote() again or choose another candidate", e);
        }
        log.info("promoted {} to read-write in {} ms", me, (System.nanoTime() - started) / 1_000_000);
    }

    /** Signals promotion without pg_promote's own wait, which polls only every 100 ms. */
    private void requestPromotion(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_promote(false)"); ResultSet rs = st.executeQuery()) {
            if (rs.next() && !rs.getBoolean(1)) {
                throw new EngineException(settings.instance().name() + " refused pg_promote(); see "
                        + settings.logFile() + ", then call promote() again or choose another candidate");
            }
        }
    }

    private void awaitOutOfRecovery(Connection c) throws SQLException {
        long deadline = System.nanoTime() + PROMOTE_WAIT.toNanos();
        while (inRecovery(c)) {
            if (System.nanoTime() - deadline > 0) {
                throw new EngineException(settings.instance().name() + " is still in recovery " + PROMOTE_WAIT
                        + " after pg_promote(); see " + settings.logFile() + " for what holds it back, then call "
                        + "promote() again or choose another candidate");
            }
            sleep("promote()");
        }
    }

    private static void reload(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_reload_conf()"); ResultSet rs = st.executeQuery()) {
            rs.next();
        }
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_is_in_recovery()"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void sleep(String call) {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting for the server (the agent is shutting down); call "
                    + call + " again", e);
        }
    }
}
