package io.multiaz.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls every member directly every {@code period} and counts the instants at which more than one
 * of them is a writer that can acknowledge commits: out of recovery, and not stopped from
 * serving (a connection and a query answer within the poll).
 */
public final class WriterSampler implements AutoCloseable {
    private final Map<String, String> urls;
    private final String user;
    private final String password;
    private final long periodMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger samples = new AtomicInteger();
    private final List<String> dualWriters = new ArrayList<>();
    private final Thread thread;

    /** {@code members}: instance name to {@code host:port}. */
    public WriterSampler(Map<String, String> members, String user, String password, long periodMillis) {
        this.urls = new java.util.TreeMap<>();
        members.forEach((name, hp) -> urls.put(name, "jdbc:postgresql://" + hp
                + "/postgres?connectTimeout=1&socketTimeout=1&loginTimeout=1"));
        this.user = user;
        this.password = password;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::run, "writer-sampler");
        this.thread.setDaemon(true);
    }

    public WriterSampler start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running.get()) {
            List<String> writers = new ArrayList<>();
            urls.forEach((name, url) -> {
                if (isWriter(url)) {
                    writers.add(name);
                }
            });
            samples.incrementAndGet();
            if (writers.size() > 1) {
                synchronized (dualWriters) {
                    dualWriters.add(System.currentTimeMillis() + " " + writers);
                }
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean isWriter(String url) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    public int samples() {
        return samples.get();
    }

    public List<String> dualWriterSamples() {
        synchronized (dualWriters) {
            return List.copyOf(dualWriters);
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
