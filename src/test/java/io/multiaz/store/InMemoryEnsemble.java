package io.multiaz.store;

import io.multiaz.model.BackupStatus;
import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.ParameterGroup;
import io.multiaz.model.SubnetGroup;
import io.multiaz.store.ClusterStore.Change;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the in-memory twins share, playing the ZooKeeper ensemble: each {@link InMemoryClusterStore}
 * on it is one agent's session; {@link #clusters()} and {@link #records()} work on the same data,
 * as {@link CuratorClusters} and {@link RdsRecords#onZooKeeper} do on the same znodes. Deleting a
 * cluster drops everything stored under it (HA records, events, history, tags), as deleting its
 * subtree does. The twins synchronize on this object. Thread-safe.
 */
public final class InMemoryEnsemble {
    final Map<String, ClusterRecords> clusters = new HashMap<>();
    final Map<Integer, String> slots = new TreeMap<>();
    final List<Runnable> clusterListeners = new CopyOnWriteArrayList<>();
    final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private final InMemoryClusters clusterSpecs = new InMemoryClusters(this);
    private final InMemoryRecords<SubnetGroup> subnetGroups = new InMemoryRecords<>();
    private final InMemoryRecords<ParameterGroup> parameterGroups = new InMemoryRecords<>();
    private final InMemoryRecords<DbClusterSnapshot> clusterSnapshots = new InMemoryRecords<>();
    private final InMemoryRecords<BackupStatus> backups = new InMemoryRecords<>();
    private RdsRecords records;
    private long lastSession;

    /** The clusters' specs, slots and lifecycle on this ensemble. */
    public Clusters clusters() {
        return clusterSpecs;
    }

    /** The RDS API's repositories on this ensemble; their events are appended through a session of their own. */
    public synchronized RdsRecords records() {
        if (records == null) {
            records = new RdsRecords(clusterSpecs, new InMemoryClusterStore(this), subnetGroups, parameterGroups,
                    clusterSnapshots, new Tags(this::tags), backups);
        }
        return records;
    }

    /** Tells every watcher of a cluster that something changed (called after each write). */
    void changed() {
        changed(Change.COORDINATION);
    }

    void changed(Change change) {
        listeners.forEach(l -> l.accept(change));
    }

    synchronized long newSession() {
        return ++lastSession;
    }

    synchronized void dropEphemerals(long session) {
        for (ClusterRecords records : clusters.values()) {
            if (records.lease != null && records.lease.owner() == session) {
                records.lease = null;
            }
            records.members.values().removeIf(m -> m.owner() == session);
        }
    }

    /** The records of {@code cluster}, created empty on first use (as reading an absent folder is). Hold the lock. */
    ClusterRecords records(String cluster) {
        return clusters.computeIfAbsent(Objects.requireNonNull(cluster, "cluster"), c -> new ClusterRecords());
    }

    private synchronized Records<Tags.TagSet> tags(String cluster) {
        return records(cluster).tags;
    }

    record Versioned<T>(T value, int version) {
        Versioned<T> next(T newValue) {
            return new Versioned<>(newValue, version + 1);
        }
    }

    record Ephemeral<T>(T value, long owner, int version) {
    }

    /** Everything stored under one cluster's folder. */
    static final class ClusterRecords {
        ClusterSpec spec;
        Versioned<Bootstrap> bootstrap;
        Ephemeral<String> lease;
        Versioned<Fence> fence;
        final Map<String, Ephemeral<MemberState>> members = new HashMap<>();
        OperatorRequest request;
        boolean paused;
        final Deque<ClusterEvent> events = new ArrayDeque<>();
        final List<HistoryEntry> history = new ArrayList<>();
        final InMemoryRecords<Tags.TagSet> tags = new InMemoryRecords<>();
    }
}
