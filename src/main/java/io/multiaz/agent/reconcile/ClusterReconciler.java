package io.multiaz.agent.reconcile;

import io.multiaz.runner.InstanceRunner;
import io.multiaz.runner.ClusterRunner;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Fence;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.Clusters;
import io.multiaz.store.Records;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes this agent run what the store's cluster specs place in its zone, for every cluster: starts
 * the instances of {@code spec.instances()} in its zone, stops and removes those that left
 * ({@code rds.retiring}, a deleting or vanished cluster) and then drops them from
 * {@code rds.retiring}, deletes a deleting cluster once nothing of it is left, and keeps every
 * per-cluster service ({@link ClusterRunner}: the endpoints) running per cluster. The RDS API only
 * writes specs; this is the agent side of it.
 *
 * <p>Final snapshots: when a deleting cluster has one ({@code rds.finalSnapshot}), its last writer
 * (the fence record's; the bootstrap owner if there is no fence) is its source. The agent of the
 * source's zone stops it cleanly, moves its data directory to the snapshot's place instead of
 * deleting it, marks the snapshot's record {@code available}, and only then drops the instance
 * from {@code rds.retiring}; so the cluster is deleted after its snapshot is available, and waits
 * while that agent is down. Snapshots marked {@code deleting} whose files are in this zone have
 * their files and then their record removed by every pass.
 *
 * <p>A pass reads every spec once and compares it with what runs here; it is level-triggered, so a
 * step that fails (logged with what to do) is simply tried again by the next pass. Passes run on
 * {@code executor}, one at a time: after {@link #start()}, on every cluster created or deleted,
 * on every coordination change of a cluster (its spec), and whenever the owner calls
 * {@link #trigger()} (the agent does every second, so a lost notification delays a change by a
 * second at most). Requests during a pass coalesce into one more pass.
 *
 * <p>Thread safety: {@link #trigger()} and {@link #close()} from any thread; the pass (and with it
 * the runners) runs on one thread at a time.
 */
public final class ClusterReconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);

    private final ClusterStore store;
    private final Clusters clusterSpecs;
    private final String az;
    private final InstanceRunner instances;
    private final ClusterServices services;
    private final FinalSnapshots snapshots;
    private final Executor executor;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean passing = new AtomicBoolean();
    private volatile boolean closed;

    // the pass's state, touched by the pass only
    private final Map<InstanceKey, Supervised> running = new LinkedHashMap<>();
    private final Map<String, Managed> clusters = new LinkedHashMap<>();
    /** Instances of vanished clusters whose directory is still to be removed. */
    private final Map<InstanceKey, InstanceSpec> leftovers = new LinkedHashMap<>();
    private AutoCloseable clustersWatch;

    private record InstanceKey(String cluster, String instance) {
    }

    private record Supervised(InstanceSpec instance, InstanceRunner.Running handle) {
    }

    /** What runs here for one cluster besides its instances. */
    private static final class Managed {
        ClusterSpec lastSpec;
        AutoCloseable watch;

        Managed(ClusterSpec spec) {
            this.lastSpec = spec;
        }
    }

    /**
     * @param az       this agent's zone: it runs the instances placed there
     * @param executor runs the passes, one task at a time (a single thread; a direct executor in tests)
     */
    public ClusterReconciler(ClusterStore store, Clusters clusterSpecs, Records<DbClusterSnapshot> snapshotRecords,
                             String az, InstanceRunner instances, List<ClusterRunner> services, Executor executor) {
        this.store = Objects.requireNonNull(store, "store");
        this.clusterSpecs = Objects.requireNonNull(clusterSpecs, "clusterSpecs");
        this.az = Objects.requireNonNull(az, "az");
        this.instances = Objects.requireNonNull(instances, "instances");
        this.services = new ClusterServices(services);
        this.executor = Objects.requireNonNull(executor, "executor");
        this.snapshots = new FinalSnapshots(snapshotRecords, az, instances);
    }

    /** Watches the store and requests the first pass. */
    public void start() {
        trigger();
    }

    /** Requests a pass; cheap, never blocks. Any thread (store watchers, the resync timer). */
    public void trigger() {
        if (closed) {
            return;
        }
        requested.set(true);
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            LOG.debug("no reconciler pass: the agent is stopping");
        }
    }

    private void drain() {
        // a trigger during a pass (also one from inside it, with a direct executor) only sets
        // requested; the running pass sees it and goes again
        while (requested.get() && passing.compareAndSet(false, true)) {
            try {
                while (requested.getAndSet(false) && !closed) {
                    reconcile();
                }
            } finally {
                passing.set(false);
            }
        }
    }

    /** One pass over every cluster in the store. On the pass thread only. */
    public void reconcile() {
        watchClusters();
        Map<String, ClusterSpec> specs = new LinkedHashMap<>();
        Map<String, String> lastWriters = new HashMap<>();
        try {
            for (String name : clusterSpecs.names()) {
                ClusterSnapshot read = store.read(name);
                read.spec().ifPresent(s -> specs.put(name, s));
                read.fence().map(Fence::writer).or(() -> read.bootstrap().map(Bootstrap::owner))
                        .ifPresent(w -> lastWriters.put(name, w));
            }
        } catch (StoreException e) {
            // nothing is torn down on a partial read: a cluster that did not answer is not gone
            LOG.warn("cannot read the cluster specs ({}); reconciling on the next pass", e.getMessage());
            return;
        }
        removeLeftovers();
        for (ClusterSpec spec : specs.values()) {
            Managed m = clusters.get(spec.name());
            if (m != null && !sameCluster(m.lastSpec, spec)) {
                LOG.info("cluster {} was deleted and created anew; starting over with its new spec", spec.name());
                forget(spec.name());
            }
            try {
                reconcile(spec, lastWriters.get(spec.name()));
            } catch (RuntimeException e) {
                LOG.error("reconciling cluster {} failed: {}; trying again on the next pass", spec.name(),
                        e.toString(), e);
            }
        }
        List<String> gone = new ArrayList<>(clusters.keySet());
        running.keySet().forEach(k -> gone.add(k.cluster()));
        gone.stream().distinct().filter(c -> !specs.containsKey(c)).forEach(this::forget);
        removeLeftovers();
        snapshots.removeDeleted();
    }

    /** The same cluster, not one deleted and created again under its name (possibly in another slot). */
    private static boolean sameCluster(ClusterSpec a, ClusterSpec b) {
        return a.rds().slot() == b.rds().slot() && Objects.equals(a.rds().createdAt(), b.rds().createdAt());
    }

    private void watchClusters() {
        if (clustersWatch != null) {
            return;
        }
        try {
            clustersWatch = clusterSpecs.watch(this::trigger);
        } catch (StoreException e) {
            LOG.warn("cannot watch the store for new clusters ({}); looking every second meanwhile", e.getMessage());
        }
    }

    /** Reconciles one cluster; {@code lastWriter} is its fence's writer, null when none. */
    private void reconcile(ClusterSpec spec, String lastWriter) {
        String name = spec.name();
        Managed m = clusters.computeIfAbsent(name, n -> new Managed(spec));
        m.lastSpec = spec;
        if (m.watch == null) {
            // spec changes (instances added, moved to retiring, deletion) start a pass at once
            m.watch = store.watch(name, change -> {
                if (change == ClusterStore.Change.COORDINATION) {
                    trigger();
                }
            });
        }
        // e.g. this agent restarted while an instance was being deleted: nothing runs, only files remain
        // (decided before the running ones are retired below, which remove theirs themselves)
        List<InstanceSpec> leftBehind = spec.rds().retiring().stream()
                .filter(i -> i.az().equals(az) && spec.instance(i.name()).isEmpty())
                .filter(i -> !running.containsKey(new InstanceKey(name, i.name()))).toList();
        for (Map.Entry<InstanceKey, Supervised> e : List.copyOf(running.entrySet())) {
            if (e.getKey().cluster().equals(name) && spec.instance(e.getKey().instance()).isEmpty()) {
                retire(spec, e.getKey(), e.getValue(), snapshotSource(spec, lastWriter, e.getKey().instance()));
            }
        }
        for (InstanceSpec i : spec.instances()) {
            InstanceKey key = new InstanceKey(name, i.name());
            Supervised already = running.get(key);
            if (already != null) {
                try {
                    already.handle().update(spec);
                } catch (RuntimeException e) {
                    LOG.warn("instance {} of cluster {} did not take the current spec: {}; trying again on the next"
                            + " pass", i.name(), name, e.getMessage());
                }
            }
            if (i.az().equals(az) && !running.containsKey(key) && !leftovers.containsKey(key)) {
                // (an instance of a deleted cluster of the same name still being removed waits for that)
                startInstance(spec, i, key);
            }
        }
        for (InstanceSpec i : leftBehind) {
            LOG.info("instance {} of cluster {} is being deleted and does not run here; removing what it left",
                    i.name(), name);
            removeInstance(spec, i, snapshotSource(spec, lastWriter, i.name()));
        }
        if (spec.rds().deleting() && spec.instances().isEmpty() && spec.rds().retiring().isEmpty()) {
            deleteCluster(spec);
            return;
        }
        services.ensure(spec);
    }

    private void startInstance(ClusterSpec spec, InstanceSpec instance, InstanceKey key) {
        LOG.info("instance {} of cluster {} is placed in {}: starting it", instance.name(), spec.name(), az);
        try {
            running.put(key, new Supervised(instance, instances.start(spec, instance)));
        } catch (RuntimeException e) {
            LOG.error("cannot start instance {} of cluster {}: {}; trying again on the next pass (see the "
                    + "agent log above for the cause)", instance.name(), spec.name(), e.getMessage(), e);
        }
    }

    /** Whether {@code instance} of {@code spec} is the source of the cluster's final snapshot. */
    private static boolean snapshotSource(ClusterSpec spec, String lastWriter, String instance) {
        return spec.rds().deleting() && spec.rds().finalSnapshot() != null && instance.equals(lastWriter);
    }

    /**
     * Stops an instance that left {@code spec} (cleanly when it is the {@code source} of the final
     * snapshot), removes or keeps its files and drops it from the retiring list.
     */
    private void retire(ClusterSpec spec, InstanceKey key, Supervised s, boolean source) {
        LOG.info("instance {} left cluster {}{}: stopping its HA loop, watchdog and server", key.instance(),
                spec.name(), source ? " (the cluster is being deleted; its data becomes the final snapshot "
                        + spec.rds().finalSnapshot() + ")" : spec.rds().deleting() ? " (the cluster is being deleted)" : "");
        running.remove(key);
        if (source) {
            s.handle().stopCleanly();
        } else {
            s.handle().stop();
        }
        LOG.info("instance {} of cluster {} stopped and withdrawn from the store", key.instance(), spec.name());
        InstanceSpec instance = spec.rds().retiring().stream().filter(i -> i.name().equals(key.instance()))
                .findFirst().orElse(s.instance());
        removeInstance(spec, instance, source);
    }

    /**
     * Removes the files of a stopped instance (keeps its data directory as the final snapshot when
     * it is the {@code source}), then drops it from the cluster's retiring list.
     */
    private void removeInstance(ClusterSpec spec, InstanceSpec instance, boolean source) {
        String cluster = spec.name();
        if (source) {
            if (!snapshots.keep(spec, instance)) {
                return;
            }
        } else {
            try {
                instances.remove(cluster, instance);
            } catch (RuntimeException e) {
                LOG.warn("cannot remove the files of instance {} of cluster {}: {}; trying again on the next pass",
                        instance.name(), cluster, e.getMessage());
                return;
            }
        }
        try {
            clusterSpecs.update(cluster, s -> s.rds().retiring().stream().noneMatch(i -> i.name().equals(instance.name()))
                    ? null
                    : s.withRds(s.rds().withRetiring(s.rds().retiring().stream()
                            .filter(i -> !i.name().equals(instance.name())).toList())));
            LOG.info("instance {} of cluster {} is gone from {}: dropped it from the cluster's retiring list",
                    instance.name(), cluster, az);
        } catch (StoreException e) {
            LOG.warn("instance {} of cluster {} is removed, but the store did not take it off the retiring list "
                    + "({}); trying again on the next pass", instance.name(), cluster, e.getMessage());
        }
    }

    private void deleteCluster(ClusterSpec spec) {
        LOG.info("cluster {} is being deleted and has no instances left: removing it from the store", spec.name());
        try {
            clusterSpecs.delete(spec.name());
        } catch (StoreException e) {
            LOG.warn("cannot delete cluster {} from the store ({}); trying again on the next pass", spec.name(),
                    e.getMessage());
            return;
        }
        LOG.info("cluster {} deleted", spec.name());
        forget(spec.name());
    }

    /**
     * {@code cluster} is gone from the store (or replaced): stop what runs of it and clean up after
     * it. The files of its instances are removed only when this agent saw it being deleted; a
     * cluster that vanished otherwise (a restored or damaged store) keeps them, for an operator.
     */
    private void forget(String cluster) {
        Managed m = clusters.remove(cluster);
        boolean deleted = m != null && m.lastSpec.rds().deleting();
        for (Map.Entry<InstanceKey, Supervised> e : List.copyOf(running.entrySet())) {
            if (e.getKey().cluster().equals(cluster)) {
                LOG.info("cluster {} is gone: stopping its instance {}", cluster, e.getKey().instance());
                running.remove(e.getKey());
                e.getValue().handle().stop();
                if (deleted) {
                    leftovers.put(e.getKey(), e.getValue().instance());
                } else {
                    LOG.warn("cluster {} vanished from the store without being deleted: instance {} is stopped "
                            + "and its files are kept; remove its directory by hand once it is not needed",
                            cluster, e.getKey().instance());
                }
            }
        }
        if (m == null) {
            return;
        }
        ClusterServices.closeQuietly(m.watch, "the store watch of cluster " + cluster);
        services.stop(cluster, m.lastSpec);
    }

    private void removeLeftovers() {
        for (Map.Entry<InstanceKey, InstanceSpec> e : List.copyOf(leftovers.entrySet())) {
            try {
                instances.remove(e.getKey().cluster(), e.getValue());
                leftovers.remove(e.getKey());
            } catch (RuntimeException ex) {
                LOG.warn("cannot remove the files of instance {} of deleted cluster {}: {}; trying again on the next "
                        + "pass", e.getKey().instance(), e.getKey().cluster(), ex.getMessage());
            }
        }
        services.removeLeftovers(clusters.keySet());
    }

    /**
     * Stops watching and stops the per-cluster services; leaves the instances running (the
     * agent's supervised instances stop them on shutdown, without removing anything). Call
     * after the executor ran its last pass. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        AutoCloseable w = clustersWatch;
        clustersWatch = null;
        ClusterServices.closeQuietly(w, "the cluster watch");
        for (Managed m : clusters.values()) {
            ClusterServices.closeQuietly(m.watch, "a cluster's store watch");
            m.watch = null;
        }
        services.close();
    }
}
