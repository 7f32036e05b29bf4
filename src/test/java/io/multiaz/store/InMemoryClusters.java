package io.multiaz.store;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSettings;
import io.multiaz.store.InMemoryEnsemble.ClusterRecords;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * An in-memory {@link Clusters} that behaves like {@link CuratorClusters}, on the data of an
 * {@link InMemoryEnsemble}: a spec change wakes the clusters' {@link ClusterStore#watch} listeners,
 * creating and deleting a cluster also the {@link #watch} ones, each on the calling thread after
 * the change (so a test's listener sees it before the call returns). Thread-safe: every operation
 * runs under the ensemble's lock, listeners outside it.
 */
final class InMemoryClusters implements Clusters {
    private final InMemoryEnsemble ensemble;

    InMemoryClusters(InMemoryEnsemble ensemble) {
        this.ensemble = ensemble;
    }

    @Override
    public List<String> names() {
        synchronized (ensemble) {
            return ensemble.clusters.entrySet().stream()
                    .filter(e -> e.getValue().spec != null)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    @Override
    public boolean create(ClusterSpec spec) {
        boolean created;
        synchronized (ensemble) {
            ClusterRecords records = ensemble.records(spec.name());
            created = records.spec == null;
            if (created) {
                records.spec = spec;
            }
        }
        if (created) {
            ensemble.clusterListeners.forEach(Runnable::run);
            ensemble.changed();
        }
        return created;
    }

    @Override
    public Optional<ClusterSpec> update(String cluster, UnaryOperator<ClusterSpec> change) {
        Objects.requireNonNull(change, "change");
        Optional<ClusterSpec> result;
        boolean written = false;
        synchronized (ensemble) {
            ClusterRecords records = ensemble.clusters.get(cluster);
            if (records == null || records.spec == null) {
                return Optional.empty();
            }
            ClusterSpec after = change.apply(records.spec);
            if (after != null && !after.name().equals(cluster)) {
                throw new IllegalArgumentException("a spec update cannot rename cluster " + cluster);
            }
            if (after != null && !after.equals(records.spec)) {
                records.spec = after;
                written = true;
            }
            result = Optional.of(records.spec);
        }
        if (written) {
            ensemble.changed();
        }
        return result;
    }

    @Override
    public void delete(String cluster) {
        synchronized (ensemble) {
            ensemble.clusters.remove(cluster);
            ensemble.slots.values().removeIf(cluster::equals);
        }
        ensemble.clusterListeners.forEach(Runnable::run);
        ensemble.changed();
    }

    @Override
    public OptionalInt claimSlot(String cluster) {
        synchronized (ensemble) {
            for (var e : ensemble.slots.entrySet()) {
                if (e.getValue().equals(cluster)) {
                    return OptionalInt.of(e.getKey());
                }
            }
            for (int slot = 1; slot < DbClusterSettings.MAX_SLOTS; slot++) {
                if (!ensemble.slots.containsKey(slot)) {
                    ensemble.slots.put(slot, cluster);
                    return OptionalInt.of(slot);
                }
            }
            return OptionalInt.empty();
        }
    }

    @Override
    public AutoCloseable watch(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        ensemble.clusterListeners.add(listener);
        return () -> ensemble.clusterListeners.remove(listener);
    }
}
