package io.multiaz.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples every member's role and timeline every {@code periodMillis}, asking all members at the
 * same instant (one thread each, so a sample is a few milliseconds wide, far narrower than any
 * change of writer). A sample in which two members both accept writes is a dual-writer sample.
 * A member that does not answer (stopped, cut off) counts as not a writer: the sampler sits in the
 * clients' network, and what it cannot reach, no client can write to either.
 */
final class RoleSampler implements AutoCloseable {
    private final Map<String, Deployment.Jdbc> members;
    private final long periodMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger samples = new AtomicInteger();
    private final List<String> dualWriters = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool;
    private final Thread thread;

    /** {@code members}: instance name → JDBC coordinates of its own server. */
    RoleSampler(Map<String, Deployment.Jdbc> members, long periodMillis) {
        this.members = new java.util.TreeMap<>(members);
        this.periodMillis = periodMillis;
        this.pool = Executors.newFixedThreadPool(members.size(), r -> Thread.ofPlatform().daemon()
                .name("role-sampler").unstarted(r));
        this.thread = Thread.ofPlatform().daemon().name("role-sampler-loop").unstarted(this::run);
    }

    RoleSampler start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running.get()) {
            List<CompletableFuture<String>> asks = new ArrayList<>();
            members.forEach((name, j) -> asks.add(CompletableFuture.supplyAsync(() -> role(name, j), pool)));
            List<String> writers = asks.stream().map(CompletableFuture::join).filter(s -> s != null).toList();
            samples.incrementAndGet();
            if (writers.size() > 1) {
                dualWriters.add(java.time.Instant.now() + " " + writers);
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** "name (timeline N)" when the member accepts writes, else null. */
    private static String role(String name, Deployment.Jdbc j) {
        try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT NOT pg_is_in_recovery(), timeline_id FROM pg_control_checkpoint()")) {
            return rs.next() && rs.getBoolean(1) ? name + " (timeline " + rs.getLong(2) + ")" : null;
        } catch (Exception e) {
            return null;
        }
    }

    int samples() {
        return samples.get();
    }

    List<String> dualWriterSamples() {
        return List.copyOf(dualWriters);
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
