package io.multiaz.engine;

import io.multiaz.model.Lsn;
import io.multiaz.model.ReplicaLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the running server's replication state over one kept JDBC connection: on a primary its
 * timeline, flushed LSN and {@code pg_stat_replication}; on a standby its received and replayed
 * LSNs and WAL receiver state; on both the physical slots and {@code synchronous_standby_names}.
 * A broken connection is dropped and reopened once per read, so a restarted server is seen at once.
 *
 * <p>Thread safety: not thread-safe; called from the instance's HA loop thread only.
 */
final class PgStatusReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgStatusReader.class);

    private static final String PRIMARY = """
            SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int,
                   pg_current_wal_flush_lsn()::text,
                   current_setting('synchronous_standby_names'),
                   (SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'
                       AND clock_timestamp() - query_start > interval '1 second')::int,
                   EXISTS (SELECT 1 FROM pg_settings WHERE pending_restart)""";
    private static final String REPLICAS = """
            SELECT application_name, state, sync_state, flush_lsn::text, replay_lsn::text,
                   COALESCE(pg_wal_lsn_diff(pg_current_wal_flush_lsn(), replay_lsn), 0)::bigint
              FROM pg_stat_replication ORDER BY application_name""";
    private static final String STANDBY = """
            SELECT pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text,
                   r.status, r.received_tli, (SELECT timeline_id FROM pg_control_checkpoint()),
                   current_setting('synchronous_standby_names'),
                   EXISTS (SELECT 1 FROM pg_settings WHERE pending_restart)
              FROM (SELECT 1) one LEFT JOIN pg_stat_wal_receiver r ON true""";
    /** Permanent slots only: a temporary one belongs to a session (pg_basebackup cloning a new standby). */
    private static final String SLOTS =
            "SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical' AND NOT temporary";

    /** One reading of the server; LSN fields as defined by {@link io.multiaz.model.LocalServer}. */
    record Status(boolean inRecovery, long timeline, Lsn flushed, Lsn replayed, boolean streaming,
                  String syncStandbyNames, Set<String> slots, List<ReplicaLink> replicas, int waitingCommits,
                  boolean pendingRestart) {
        Status {
            slots = Set.copyOf(slots);
            replicas = List.copyOf(replicas);
        }
    }

    private final PgConnector connector;
    private Connection connection;

    PgStatusReader(PgConnector connector) {
        this.connector = connector;
    }

    /** Queries the server; empty when it cannot be reached or queried (logged at debug). Never throws. */
    Optional<Status> read() {
        boolean reused = connection != null;
        try {
            return Optional.of(query());
        } catch (SQLException | RuntimeException e) {
            close();
            if (!reused) {
                log.debug("server at {} not accepting queries ({}); reporting it as not accepting",
                        connector.address(), e.toString());
                return Optional.empty();
            }
            log.debug("kept connection to {} failed ({}); reconnecting once", connector.address(), e.toString());
            return read();
        }
    }

    private Status query() throws SQLException {
        if (connection == null) {
            connection = connector.open("postgres", PgConnector.STATUS_TIMEOUT);
            connection.setAutoCommit(true);
        }
        boolean inRecovery;
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_is_in_recovery()");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            inRecovery = rs.getBoolean(1);
        }
        return inRecovery ? standby() : primary();
    }

    private Status primary() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(PRIMARY); ResultSet rs = st.executeQuery()) {
            rs.next();
            Lsn flushed = lsn(rs.getString(2));
            return new Status(false, rs.getInt(1), flushed, flushed, false, rs.getString(3), slots(), replicas(),
                    rs.getInt(4), rs.getBoolean(5));
        }
    }

    private List<ReplicaLink> replicas() throws SQLException {
        List<ReplicaLink> replicas = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(REPLICAS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                replicas.add(new ReplicaLink(rs.getString(1), rs.getString(2), rs.getString(3),
                        lsn(rs.getString(4)), lsn(rs.getString(5)), rs.getLong(6)));
            }
        }
        return replicas;
    }

    private Status standby() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(STANDBY); ResultSet rs = st.executeQuery()) {
            rs.next();
            Lsn received = lsn(rs.getString(1));
            Lsn replayed = lsn(rs.getString(2));
            boolean streaming = "streaming".equals(rs.getString(3));
            long receivedTli = rs.getLong(4);
            long timeline = receivedTli > 0 ? receivedTli : rs.getLong(5);
            // Replayed WAL is on local disk too; before the first receive only replay is known.
            Lsn flushed = received.isAfter(replayed) ? received : replayed;
            return new Status(true, timeline, flushed, replayed, streaming, rs.getString(6), slots(), List.of(), 0,
                    rs.getBoolean(7));
        }
    }

    private Set<String> slots() throws SQLException {
        Set<String> slots = new HashSet<>();
        try (PreparedStatement st = connection.prepareStatement(SLOTS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                slots.add(rs.getString(1));
            }
        }
        return slots;
    }

    private static Lsn lsn(String text) {
        return text == null ? Lsn.ZERO : Lsn.parse(text);
    }

    /** Closes the kept connection; the next {@link #read()} opens a new one. May be called twice. */
    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the status connection to {} failed ({}); dropping it", connector.address(), e.toString());
        } finally {
            connection = null;
        }
    }
}
