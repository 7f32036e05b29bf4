package io.multiaz.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Waits, bounded, until a writer has no client connection in flight, so that a clean stop for a
 * switchover ends only idle sessions: none half-way through its handshake (which the client would
 * report as a failed connection attempt) and none inside a statement or a transaction.
 *
 * <p>A connection in its handshake (startup packet, authentication) is a child of the postmaster
 * that {@code pg_stat_activity} does not list yet: PostgreSQL 15 adds a backend there only once it
 * is authenticated, while every other server process (background workers, WAL senders) is listed
 * from its start. A client backend whose state is other than {@code idle} is inside a statement or
 * a transaction. Both are read again every {@value #POLL_MILLIS} ms.
 *
 * <p>Thread safety: stateless; each call opens and closes its own connection.
 */
final class PgDrain {
    private static final Logger log = LoggerFactory.getLogger(PgDrain.class);
    static final long POLL_MILLIS = 5;
    private static final String ACTIVITY = """
            SELECT pid, backend_type = 'client backend' AND state IS DISTINCT FROM 'idle'
                        AND pid <> pg_backend_pid()
              FROM pg_stat_activity""";

    private final PgConnector connector;

    PgDrain(PgConnector connector) {
        this.connector = connector;
    }

    /**
     * Waits up to {@code max} until the server whose postmaster is {@code postmasterPid} has no
     * client connection in flight. Never throws: a server that cannot be queried is not waited for.
     *
     * @return the number of connections still in flight when it gave up, 0 when drained
     */
    int await(long postmasterPid, Duration max) {
        if (max.isZero() || max.isNegative()) {
            return 0;
        }
        long started = System.nanoTime();
        long deadline = started + max.toNanos();
        try (Connection c = connector.open("postgres", PgConnector.STATUS_TIMEOUT);
             PreparedStatement st = c.prepareStatement(ACTIVITY)) {
            int busy = busy(postmasterPid, st);
            while (busy > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(POLL_MILLIS);
                busy = busy(postmasterPid, st);
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (busy > 0) {
                log.info("{} client connection(s) still in a handshake, statement or transaction after {} ms; "
                        + "stopping anyway (they end with the server)", busy, ms);
            } else {
                log.debug("no client connection in flight after {} ms", ms);
            }
            return busy;
        } catch (SQLException e) {
            log.info("cannot see the clients of {} ({}); stopping without waiting for them", connector.address(),
                    e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Connections in a handshake plus client backends inside a statement or transaction. */
    private static int busy(long postmasterPid, PreparedStatement activity) throws SQLException {
        // children first: one that starts after this is listed below if it got past its handshake
        Set<Long> children = children(postmasterPid);
        int busy = 0;
        try (ResultSet rs = activity.executeQuery()) {
            while (rs.next()) {
                children.remove(rs.getLong(1));
                if (rs.getBoolean(2)) {
                    busy++;
                }
            }
        }
        // a child that exited between the two readings is no longer in flight
        children.removeIf(PgProcess::hasExited);
        return busy + children.size();
    }

    private static Set<Long> children(long pid) {
        Set<Long> pids = new HashSet<>();
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        postmaster.ifPresent(p -> p.children().forEach(child -> pids.add(child.pid())));
        return pids;
    }
}
