package io.multiaz.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault suite's workload, Jepsen style. Writer threads go through the writer endpoint: each
 * either inserts a numbered row (ids unique per thread) or moves money between two of
 * {@value #ACCOUNTS} accounts in one transaction, so the total never changes. Every write is
 * acknowledged (its commit returned), failed or left in doubt (the connection broke during it);
 * only acknowledged ones must survive. Reader threads go through the reader endpoint and check,
 * per connection, that the row count never goes back and that every snapshot's total is the
 * initial one; they remember some of the ids they saw, which the final check requires on the
 * writer (a read of a write that was later lost is a violation).
 *
 * <p>Thread safety: the threads record into concurrent collections; the getters may be read at
 * any time, exactly after {@link #stop}.
 */
final class BankWorkload implements AutoCloseable {
    static final int ACCOUNTS = 10;
    static final long INITIAL_BALANCE = 1_000;
    static final long TOTAL = ACCOUNTS * INITIAL_BALANCE;
    private static final String CLIENT_OPTIONS = "connectTimeout=2&loginTimeout=3&socketTimeout=15&tcpKeepAlive=true";

    private final Deployment.Jdbc writer;
    private final Deployment.Jdbc reader;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final Set<Long> inDoubt = ConcurrentHashMap.newKeySet();
    private final Set<Long> seenByReaders = ConcurrentHashMap.newKeySet();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ackedTransfers = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGapNanos = new AtomicLong();
    private final AtomicLong windowGapNanos = new AtomicLong();
    private final long seed;

    BankWorkload(String writerUri, String readerUri, long seed) {
        this.writer = Deployment.Jdbc.of(writerUri, CLIENT_OPTIONS);
        this.reader = Deployment.Jdbc.of(readerUri, CLIENT_OPTIONS);
        this.seed = seed;
    }

    /** Creates the tables (once) and starts {@code writers} writer and {@code readers} reader threads. */
    BankWorkload start(int writers, int readers) throws SQLException {
        try (Connection c = connect(writer); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS chaos_rows (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
            st.execute("CREATE TABLE IF NOT EXISTS chaos_accounts (id int PRIMARY KEY, balance bigint NOT NULL)");
            st.execute("INSERT INTO chaos_accounts SELECT g, " + INITIAL_BALANCE + " FROM generate_series(1, "
                    + ACCOUNTS + ") g ON CONFLICT DO NOTHING");
        }
        lastAckNanos.set(System.nanoTime());
        for (int w = 0; w < writers; w++) {
            int n = w;
            threads.add(Thread.ofPlatform().daemon().name("chaos-writer-" + n).start(() -> write(n)));
        }
        for (int r = 0; r < readers; r++) {
            int n = r;
            threads.add(Thread.ofPlatform().daemon().name("chaos-reader-" + n).start(() -> read(n)));
        }
        return this;
    }

    private static Connection connect(Deployment.Jdbc j) throws SQLException {
        return DriverManager.getConnection(j.url(), j.user(), j.password());
    }

    private void write(int thread) {
        Random random = new Random(seed * 31 + thread);
        long next = (thread + 1L) * 1_000_000_000L;
        while (running.get()) {
            try (Connection c = connect(writer);
                 PreparedStatement insert = c.prepareStatement("INSERT INTO chaos_rows (id) VALUES (?)");
                 PreparedStatement debit = c.prepareStatement(
                         "UPDATE chaos_accounts SET balance = balance - ? WHERE id = ?");
                 PreparedStatement credit = c.prepareStatement(
                         "UPDATE chaos_accounts SET balance = balance + ? WHERE id = ?")) {
                while (running.get()) {
                    if (random.nextInt(10) < 7) {
                        long id = next++;
                        insert.setLong(1, id);
                        inDoubt.add(id);
                        insert.executeUpdate();
                        inDoubt.remove(id);
                        acked.add(id);
                    } else {
                        int from = 1 + random.nextInt(ACCOUNTS);
                        int to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long amount = 1 + random.nextInt(50);
                        c.setAutoCommit(false);
                        try {
                            debit.setLong(1, amount);
                            debit.setInt(2, from);
                            credit.setLong(1, amount);
                            credit.setInt(2, to);
                            // rows locked in account order: two transfers never deadlock, which would
                            // stall both writers for PostgreSQL's deadlock_timeout (1 s) and blur the gap
                            if (from < to) {
                                debit.executeUpdate();
                                credit.executeUpdate();
                            } else {
                                credit.executeUpdate();
                                debit.executeUpdate();
                            }
                            c.commit();
                        } finally {
                            c.setAutoCommit(true);
                        }
                        ackedTransfers.incrementAndGet();
                    }
                    acknowledged();
                }
            } catch (SQLException e) {
                failed.incrementAndGet();
                sleep(50);
            }
        }
    }

    private void acknowledged() {
        long now = System.nanoTime();
        long before = lastAckNanos.getAndSet(now);
        longestGapNanos.accumulateAndGet(now - before, Math::max);
        windowGapNanos.accumulateAndGet(now - before, Math::max);
    }

    private void read(int thread) {
        while (running.get()) {
            long lastCount = -1;
            try (Connection c = connect(reader); Statement st = c.createStatement()) {
                while (running.get()) {
                    // one snapshot for both: the total of a consistent snapshot is always the initial one
                    c.setAutoCommit(false);
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    long count;
                    long total;
                    List<Long> sample = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM chaos_rows")) {
                        rs.next();
                        count = rs.getLong(1);
                    }
                    try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(balance), 0) FROM chaos_accounts")) {
                        rs.next();
                        total = rs.getLong(1);
                    }
                    try (ResultSet rs = st.executeQuery("SELECT id FROM chaos_rows ORDER BY at DESC LIMIT 3")) {
                        while (rs.next()) {
                            sample.add(rs.getLong(1));
                        }
                    }
                    c.commit();
                    c.setAutoCommit(true);
                    reads.incrementAndGet();
                    if (total != TOTAL && count > 0) {
                        violations.add("reader " + thread + " saw a total of " + total + " (not " + TOTAL + ")");
                    }
                    if (count < lastCount) {
                        violations.add("reader " + thread + " saw the row count go back from " + lastCount + " to "
                                + count + " on one connection");
                    }
                    lastCount = count;
                    seenByReaders.addAll(sample);
                    sleep(20);
                }
            } catch (SQLException e) {
                sleep(100);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The result of the final check against the writer, and whatever the readers found. */
    record Check(long acked, long ackedTransfers, long failed, long inDoubt, long lost, List<Long> lostSample,
                 long total, long phantomReads, long reads, List<String> violations) {
    }

    /** Compares what was acknowledged and read with what the writer has now. */
    Check check() throws SQLException {
        Set<Long> present = new java.util.HashSet<>();
        long total;
        try (Connection c = connect(writer); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT id FROM chaos_rows")) {
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT sum(balance) FROM chaos_accounts")) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        List<Long> lost = acked.stream().filter(id -> !present.contains(id)).sorted().toList();
        long phantoms = seenByReaders.stream().filter(id -> !present.contains(id)).count();
        List<String> all = new ArrayList<>(violations);
        if (total != TOTAL) {
            all.add("the writer's total is " + total + ", not " + TOTAL);
        }
        if (phantoms > 0) {
            all.add(phantoms + " row(s) read through the reader endpoint are not on the writer (a read of a lost write)");
        }
        if (!lost.isEmpty()) {
            all.add(lost.size() + " acknowledged row(s) missing on the writer, e.g. " + lost.subList(0,
                    Math.min(5, lost.size())));
        }
        return new Check(acked.size(), ackedTransfers.get(), failed.get(), inDoubt.size(), lost.size(),
                lost.subList(0, Math.min(20, lost.size())), total, phantoms, reads.get(), List.copyOf(all));
    }

    /** Acknowledged row ids: every member must hold them once caught up. */
    Set<Long> acked() {
        return Set.copyOf(acked);
    }

    /** When the last write was acknowledged ({@link System#nanoTime}). */
    long lastAckNanos() {
        return lastAckNanos.get();
    }

    double longestGapSeconds() {
        return longestGapNanos.get() / 1e9;
    }

    /** Starts a window (a fault): {@link #windowGapSeconds} measures from here. */
    void startWindow() {
        windowGapNanos.set(0);
    }

    /** The longest time without an acknowledged write since {@link #startWindow}, up to now. */
    double windowGapSeconds() {
        return Math.max(windowGapNanos.get(), System.nanoTime() - lastAckNanos.get()) / 1e9;
    }

    /** Resets the unavailability measurement (after the setup, before the first fault). */
    void resetGap() {
        lastAckNanos.set(System.nanoTime());
        longestGapNanos.set(0);
    }

    @Override
    public void close() {
        stop();
    }
}
