package io.multiaz.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client of the fault tests and of bench/failover: one thread inserting numbered rows in
 * autocommit through a pgjdbc multi-host URL with {@code targetServerType=primary}, reconnecting
 * once on error. It records every acknowledged id and the time of each acknowledgement, so that
 * afterwards {@link #lost} finds acknowledged rows missing from the writer and {@link #longestGap}
 * measures unavailability.
 */
public final class WriteWorkload implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final ConcurrentSkipListSet<Long> acked = new ConcurrentSkipListSet<>();
    private final List<long[]> ackTimes = new ArrayList<>();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long nextId = 1;

    /** {@code hostPorts} like {@code 127.0.0.1:6500,127.0.0.1:6510}. */
    public WriteWorkload(String hostPorts, String database, String user, String password) {
        this.url = "jdbc:postgresql://" + hostPorts + "/" + database
                + "?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=1&loginTimeout=2&socketTimeout=10&tcpKeepAlive=true";
        this.user = user;
        this.password = password;
        this.thread = new Thread(this::run, "write-workload");
        this.thread.setDaemon(true);
    }

    /** Creates the table if needed and starts writing. */
    public WriteWorkload start() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS acked_writes (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM acked_writes")) {
                rs.next();
                nextId = rs.getLong(1);
            }
        }
        thread.start();
        return this;
    }

    private void run() {
        while (running.get()) {
            try (Connection c = DriverManager.getConnection(url, user, password);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO acked_writes (id) VALUES (?)")) {
                while (running.get()) {
                    long id = nextId++;
                    ps.setLong(1, id);
                    try {
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        failedWrites.incrementAndGet();
                        throw e;
                    }
                    acked.add(id);
                    synchronized (ackTimes) {
                        ackTimes.add(new long[] {id, System.nanoTime()});
                    }
                }
            } catch (SQLException e) {
                if (failed.incrementAndGet() <= 5) {
                    System.err.println("write-workload: attempt failed: " + e.getMessage());
                }
                sleep(Duration.ofMillis(20));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long ackedCount() {
        return acked.size();
    }

    /** Failed attempts: connections refused plus writes that returned an error. */
    public long failedCount() {
        return failed.get();
    }

    /** INSERTs sent on an open connection that returned an error (unknown outcome; never counted as acked). */
    public long failedWrites() {
        return failedWrites.get();
    }

    /** Waits until at least {@code n} more writes are acknowledged, or the timeout passes. */
    public boolean awaitMoreAcks(long n, Duration timeout) {
        long target = acked.size() + n;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acked.size() < target && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
        return acked.size() >= target;
    }

    /** The longest time between two consecutive acknowledgements after {@code sinceNanos}. */
    public Duration longestGap(long sinceNanos) {
        long last = sinceNanos;
        long longest = 0;
        synchronized (ackTimes) {
            for (long[] a : ackTimes) {
                if (a[1] < sinceNanos) {
                    continue;
                }
                longest = Math.max(longest, a[1] - last);
                last = a[1];
            }
        }
        return Duration.ofNanos(longest);
    }

    /** Acknowledged ids missing from the current writer (every one must be there: RPO 0). */
    public List<Long> lost() throws SQLException {
        List<Long> missing = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM acked_writes")) {
            java.util.Set<Long> present = new java.util.HashSet<>();
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
            for (long id : acked) {
                if (!present.contains(id)) {
                    missing.add(id);
                }
            }
        }
        return missing;
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
