package io.multiaz.backup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

/**
 * Reads the writer's archiver ({@code pg_stat_archiver}) and WAL position for the
 * {@link ArchiveTracker}, over one connection kept open to the writer as the cluster's superuser
 * and opened again when the writer changes or the connection fails. Not thread-safe: the backup
 * owner's thread uses it.
 */
final class WriterProbe implements AutoCloseable {
    private static final String QUERY = """
            select (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint,
                   pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
                   pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
                   (select setting::bigint * case unit when 'B' then 1 when 'kB' then 1024 when 'MB' then 1048576
                           else 1 end from pg_settings where name = 'wal_segment_size'),
                   last_archived_wal, last_archived_time, last_failed_wal, last_failed_time
            from pg_stat_archiver""";

    private final Clock clock;
    private String target = "";
    private Connection connection;

    WriterProbe(Clock clock) {
        this.clock = clock;
    }

    /**
     * One observation of the writer at {@code host:port}, connecting as {@code user}.
     *
     * @throws SQLException when the writer cannot be reached or read (the connection is dropped)
     */
    ArchiveTracker.Observation observe(String host, int port, String user, String password) throws SQLException {
        String next = host + ":" + port + "/" + user;
        if (!next.equals(target) || connection == null || connection.isClosed()) {
            close();
            connection = open(host, port, user, password);
            target = next;
        }
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            rs.next();
            return new ArchiveTracker.Observation(clock.instant(), rs.getLong(1), rs.getLong(2), rs.getLong(3),
                    rs.getLong(4), rs.getString(5), instant(rs.getTimestamp(6)), rs.getString(7),
                    instant(rs.getTimestamp(8)));
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Asks the writer to reload its configuration, which wakes its archiver; a failure is ignored (next time). */
    void wakeArchiver() {
        if (connection == null) {
            return;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            close();
        }
    }

    private static Connection open(String host, int port, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", Objects.requireNonNull(user, "user"));
        p.setProperty("password", Objects.requireNonNull(password, "password"));
        p.setProperty("ApplicationName", "multiaz-backups");
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        String h = host.contains(":") ? "[" + host + "]" : host;
        return DriverManager.getConnection("jdbc:postgresql://" + h + ":" + port + "/postgres", p);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a broken connection: nothing to keep
            }
            connection = null;
        }
    }
}
