package io.multiaz.agent.reconcile;

import io.multiaz.model.ClusterSpec;
import io.multiaz.runner.ClusterRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-cluster services ({@link ClusterRunner}s: endpoints, and the homes of backups and
 * metrics) the reconciler keeps running for every cluster it manages: started once per cluster,
 * stopped when the cluster leaves, and their leftovers removed once it is deleted. Level-triggered
 * like the reconciler: a start or removal that fails is tried again on the next pass.
 *
 * <p>Not thread-safe: the reconciler's pass thread only.
 */
final class ClusterServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterServices.class);

    private final List<ClusterRunner> runners;
    /** cluster → runner → the running handle. */
    private final Map<String, Map<ClusterRunner, AutoCloseable>> running = new LinkedHashMap<>();
    /** Deleted clusters whose services' leftovers are still to be removed: cluster → runner → last spec. */
    private final Map<String, Map<ClusterRunner, ClusterSpec>> removals = new LinkedHashMap<>();

    ClusterServices(List<ClusterRunner> runners) {
        this.runners = List.copyOf(runners);
    }

    /** Starts every service of {@code spec}'s cluster that does not run yet. */
    void ensure(ClusterSpec spec) {
        Map<ClusterRunner, AutoCloseable> handles = running.computeIfAbsent(spec.name(), n -> new LinkedHashMap<>());
        for (ClusterRunner r : runners) {
            if (handles.containsKey(r)) {
                continue;
            }
            try {
                handles.put(r, r.start(spec));
            } catch (RuntimeException e) {
                LOG.warn("cannot start the {} of cluster {}: {}; trying again on the next pass", r.name(),
                        spec.name(), e.getMessage());
            }
        }
    }

    /**
     * Stops the services of {@code cluster}, which left this agent's care, and notes that what they
     * made is to be removed ({@link #removeLeftovers}) unless the cluster comes back.
     */
    void stop(String cluster, ClusterSpec lastSpec) {
        Map<ClusterRunner, AutoCloseable> handles = running.remove(cluster);
        if (handles != null) {
            handles.forEach((r, h) -> {
                closeQuietly(h, "the " + r.name() + " of cluster " + cluster);
                LOG.info("{} of cluster {} stopped", r.name(), cluster);
            });
        }
        Map<ClusterRunner, ClusterSpec> pending = removals.computeIfAbsent(cluster, c -> new LinkedHashMap<>());
        runners.forEach(r -> pending.put(r, lastSpec));
    }

    /** Removes the leftovers of deleted clusters, except those of a cluster in {@code managed} again. */
    void removeLeftovers(Set<String> managed) {
        for (String cluster : List.copyOf(removals.keySet())) {
            if (managed.contains(cluster)) {
                removals.remove(cluster); // created again: what its services made is in use
                continue;
            }
            Map<ClusterRunner, ClusterSpec> pending = removals.get(cluster);
            for (ClusterRunner r : List.copyOf(pending.keySet())) {
                try {
                    r.remove(pending.get(r));
                    pending.remove(r);
                } catch (RuntimeException ex) {
                    LOG.warn("cannot remove the {} of deleted cluster {}: {}; trying again on the next pass",
                            r.name(), cluster, ex.getMessage());
                }
            }
            if (pending.isEmpty()) {
                removals.remove(cluster);
            }
        }
    }

    /** Stops every running service and leaves what they made in place. Idempotent. */
    @Override
    public void close() {
        running.forEach((cluster, handles) ->
                handles.forEach((r, h) -> closeQuietly(h, "the " + r.name() + " of cluster " + cluster)));
        running.clear();
    }

    static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}; continuing", what, e.toString());
        }
    }
}
