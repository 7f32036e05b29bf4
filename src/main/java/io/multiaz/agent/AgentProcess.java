package io.multiaz.agent;

import io.multiaz.agent.reconcile.ClusterReconciler;

import io.multiaz.agent.http.OperatorAuth;
import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.config.OperatorToken;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZookeeperFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every agent process does the same way: its pid file, its ZooKeeper client, the thread its
 * {@link ClusterReconciler} runs on, and the guard of its HTTP API.
 */
public final class AgentProcess {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentProcess.class);

    private AgentProcess() {
    }

    /**
     * Writes this process's pid to {@code paths.agentPidFile(name)}, aside and renamed into place:
     * {@code up} reads the file while agents start, and a truncated file read half-way made it
     * think a starting agent had exited (and leave it running).
     */
    public static void writePidFile(Layout.Paths paths, String name) throws IOException {
        Files.createDirectories(paths.runDir());
        Path tmp = Files.createTempFile(paths.runDir(), "agent-" + name, ".tmp");
        Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
        Files.move(tmp, paths.agentPidFile(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the pid file {@link #writePidFile} wrote, on the agent's way out; a failure is logged. */
    public static void deletePidFile(Layout.Paths paths, String name) {
        try {
            Files.deleteIfExists(paths.agentPidFile(name));
        } catch (IOException e) {
            LOG.warn("cannot remove pid file {}: {}; 'multiaz up' checks it is stale", paths.agentPidFile(name),
                    e.getMessage());
        }
    }

    /**
     * The guard of an agent's HTTP API: the layout's operator token or, when the layout was written
     * before tokens existed, the one the next {@code multiaz up} adds to the file (read again on each
     * guarded request until it is there, so the agent need not restart).
     */
    public static OperatorAuth operatorAuth(Layout layout, Layout.Paths paths) {
        AtomicReference<OperatorToken> known = new AtomicReference<>(layout.operatorToken());
        return new OperatorAuth(() -> {
            if (known.get() == null) {
                try {
                    known.compareAndSet(null, LayoutFile.read(paths.layoutFile()).operatorToken());
                } catch (UncheckedIOException e) {
                    LOG.warn("cannot read the operator token ({}); refusing the operator request", e.getMessage());
                }
            }
            return Optional.ofNullable(known.get());
        }, paths.layoutFile());
    }

    /** A single daemon thread named {@code name} for an agent's scheduled work. */
    public static ScheduledExecutorService daemonThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts {@code reconciler}'s passes on {@code thread}: one now, one on every store change, one every second. */
    public static void runReconciler(ClusterReconciler reconciler, ScheduledExecutorService thread) {
        reconciler.start();
        thread.scheduleWithFixedDelay(reconciler::trigger, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Lets the reconciler's running pass end (it may be starting or stopping an instance), waiting
     * at most {@code patience}, then closes the reconciler and its endpoint controllers; nothing
     * starts on {@code thread} any more. {@code reconciler} is null when the agent stopped before
     * it started one; {@code anyway} is what the agent does next if the pass has not ended, for the log.
     */
    public static void stopReconciler(ClusterReconciler reconciler, ScheduledExecutorService thread, Duration patience,
                               String anyway) {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("a reconciler pass still runs after {} s; {} anyway", patience.toSeconds(), anyway);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reconciler != null) {
            reconciler.close();
        }
    }

    /** Blocks until {@code client} has a session, saying every 5 s what it waits for. */
    public static void awaitQuorum(CuratorFramework client, Layout layout) throws InterruptedException {
        long started = System.nanoTime();
        while (!client.blockUntilConnected(5, TimeUnit.SECONDS)) {
            LOG.info("waiting for a ZooKeeper quorum ({} s so far) at {}: at least 2 of the {} zone agents must be"
                    + " running", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), layout.zkConnect(),
                    layout.zones().size());
        }
    }

    /**
     * A started ZooKeeper client of the deployment's ensemble: the layout's session timeout, a
     * connection timeout of at most 3 s, a bounded retry (the HA loop must never block on it), no
     * ensemble tracking (the connect string is the layout's), connections made by {@code factory}.
     */
    public static CuratorFramework coordinationClient(Layout layout, ZookeeperFactory factory) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(layout.zkConnect())
                .sessionTimeoutMs((int) layout.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(layout.sessionTimeout().toMillis(), 3000))
                .retryPolicy(new RetryNTimes(2, 100))
                .zookeeperFactory(factory)
                .ensembleTracker(false)
                .build();
        client.start();
        return client;
    }
}
