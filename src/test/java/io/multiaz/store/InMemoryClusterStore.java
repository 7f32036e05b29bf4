package io.multiaz.store;

import io.multiaz.model.ClusterSnapshot;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.Lease;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory {@link ClusterStore} that behaves like {@link CuratorClusterStore}, for unit tests
 * of the HA loop and the agent. One {@link Backend} plays the ZooKeeper ensemble; each
 * {@code InMemoryClusterStore} on it plays one agent's client with its own session, whose
 * ephemeral records (lease, members) vanish on {@link #expireSession()} or {@link #close()}.
 * Versions follow ZooKeeper's: 0 after create, +1 per write. Like the Curator store, appending events
 * or history wakes no watcher, and each store keeps the newest {@code eventsKept} events it appends.
 *
 * <p>Thread-safe: every operation runs under the backend's lock.
 */
public final class InMemoryClusterStore implements ClusterStore {

    /** The shared state several stores (agents) see; plays the ZooKeeper ensemble. Thread-safe. */
    public static final class Backend {
        private final Map<String, ClusterRecords> clusters = new HashMap<>();
        private final List<java.util.function.Consumer<Change>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** Tells every watcher that something changed (called after each write). */
        void changed() {
            changed(Change.COORDINATION);
        }

        void changed(Change change) {
            listeners.forEach(l -> l.accept(change));
        }
        private long lastSession;

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

        private final Map<String, io.multiaz.model.SubnetGroup> subnetGroups = new java.util.TreeMap<>();
        private final Map<Integer, String> slots = new java.util.TreeMap<>();
        private final List<Runnable> clusterListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<String, io.multiaz.model.ParameterGroup> parameterGroups = new java.util.TreeMap<>();
        private final Map<String, io.multiaz.model.DbClusterSnapshot> clusterSnapshots = new java.util.TreeMap<>();

        private ClusterRecords records(String cluster) {
            return clusters.computeIfAbsent(Objects.requireNonNull(cluster, "cluster"), c -> new ClusterRecords());
        }
    }

    private record Versioned<T>(T value, int version) {
        Versioned<T> next(T newValue) {
            return new Versioned<>(newValue, version + 1);
        }
    }

    private record Ephemeral<T>(T value, long owner, int version) {
    }

    private static final class ClusterRecords {
        private ClusterSpec spec;
        private Versioned<Bootstrap> bootstrap;
        private Ephemeral<String> lease;
        private Versioned<Fence> fence;
        private final Map<String, Ephemeral<MemberState>> members = new HashMap<>();
        private OperatorRequest request;
        private boolean paused;
        private final Deque<ClusterEvent> events = new ArrayDeque<>();
        private final List<HistoryEntry> history = new ArrayList<>();
        private final Map<String, Map<String, String>> tags = new HashMap<>();
    }

    private final Backend backend;
    private final int eventsKept;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean connected = true;
    private volatile long session;

    /** A store with a backend of its own. */
    public InMemoryClusterStore() {
        this(new Backend());
    }

    /** A new session on the shared {@code backend}, keeping {@value ClusterStore#DEFAULT_EVENTS_KEPT} events. */
    public InMemoryClusterStore(Backend backend) {
        this(backend, DEFAULT_EVENTS_KEPT);
    }

    /** A new session on the shared {@code backend} that keeps the newest {@code eventsKept} events per cluster. */
    public InMemoryClusterStore(Backend backend, int eventsKept) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (eventsKept < 1) {
            throw new IllegalArgumentException("the store must keep at least 1 event per cluster, got " + eventsKept);
        }
        this.eventsKept = eventsKept;
        this.session = backend.newSession();
    }

    public Backend backend() {
        return backend;
    }

    /** This store's current session id. */
    public long sessionId() {
        return session;
    }

    /** Ends this store's session as ZooKeeper would on expiry: its ephemeral records vanish; a new session starts. */
    public void expireSession() {
        try {
            synchronized (backend) {
                backend.dropEphemerals(session);
                session = backend.newSession();
            }
        } finally {
            backend.changed();
        }
    }

    /** Simulates losing ({@code false}) or regaining the connection; while lost every operation throws. */
    public void setConnected(boolean connected) {
        this.connected = connected;
    }

    @Override
    public boolean isConnected() {
        return connected && !closed.get();
    }

    @Override
    public List<String> clusters() {
        synchronized (backend) {
            check();
            return backend.clusters.entrySet().stream()
                    .filter(e -> e.getValue().spec != null)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    @Override
    public ClusterSpec putSpecIfAbsent(ClusterSpec spec) {
        synchronized (backend) {
            check();
            ClusterRecords records = backend.records(spec.name());
            if (records.spec == null) {
                records.spec = spec;
            }
            return records.spec;
        }
    }

    @Override
    public boolean createCluster(ClusterSpec spec) {
        boolean created;
        synchronized (backend) {
            check();
            ClusterRecords records = backend.records(spec.name());
            created = records.spec == null;
            if (created) {
                records.spec = spec;
            }
        }
        if (created) {
            backend.clusterListeners.forEach(Runnable::run);
            backend.changed();
        }
        return created;
    }

    @Override
    public Optional<ClusterSpec> updateSpec(String cluster, java.util.function.UnaryOperator<ClusterSpec> change) {
        Optional<ClusterSpec> result;
        boolean written = false;
        synchronized (backend) {
            check();
            ClusterRecords records = backend.clusters.get(cluster);
            if (records == null || records.spec == null) {
                return Optional.empty();
            }
            ClusterSpec after = change.apply(records.spec);
            if (after != null && !after.equals(records.spec)) {
                records.spec = after;
                written = true;
            }
            result = Optional.of(records.spec);
        }
        if (written) {
            backend.changed();
        }
        return result;
    }

    @Override
    public void deleteCluster(String cluster) {
        synchronized (backend) {
            check();
            backend.clusters.remove(cluster);
            backend.slots.values().removeIf(cluster::equals);
        }
        backend.clusterListeners.forEach(Runnable::run);
        backend.changed();
    }

    @Override
    public java.util.OptionalInt claimSlot(String cluster) {
        synchronized (backend) {
            check();
            for (var e : backend.slots.entrySet()) {
                if (e.getValue().equals(cluster)) {
                    return java.util.OptionalInt.of(e.getKey());
                }
            }
            for (int slot = 1; slot < io.multiaz.model.DbClusterSettings.MAX_SLOTS; slot++) {
                if (!backend.slots.containsKey(slot)) {
                    backend.slots.put(slot, cluster);
                    return java.util.OptionalInt.of(slot);
                }
            }
            return java.util.OptionalInt.empty();
        }
    }

    @Override
    public AutoCloseable watchClusters(Runnable listener) {
        check();
        backend.clusterListeners.add(listener);
        return () -> backend.clusterListeners.remove(listener);
    }

    @Override
    public ClusterSnapshot read(String cluster) {
        synchronized (backend) {
            check();
            ClusterRecords r = backend.records(cluster);
            Optional<Lease> lease = Optional.ofNullable(r.lease)
                    .map(l -> new Lease(l.value(), l.owner() == session));
            Optional<Fence> fence = Optional.ofNullable(r.fence)
                    .map(f -> new Fence(f.value().writer(), f.value().epoch(), f.version()));
            Map<String, MemberState> members = new HashMap<>();
            r.members.forEach((name, m) -> members.put(name, m.value()));
            return new ClusterSnapshot(Optional.ofNullable(r.spec),
                    Optional.ofNullable(r.bootstrap).map(Versioned::value), lease, fence, members,
                    Optional.ofNullable(r.request), r.paused);
        }
    }

    @Override
    public boolean claimBootstrap(String cluster, String member) {
        try {
            synchronized (backend) {
                check();
                ClusterRecords r = backend.records(cluster);
                if (r.bootstrap == null) {
                    r.bootstrap = new Versioned<>(new Bootstrap(member, false, null), 0);
                }
                return r.bootstrap.value().owner().equals(member);
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public void completeBootstrap(String cluster, String member, String systemId) {
        try {
            synchronized (backend) {
                check();
                ClusterRecords r = backend.records(cluster);
                if (r.bootstrap == null) {
                    throw new StoreException("cannot complete the bootstrap of " + cluster + ": there is no bootstrap record; claim it first");
                }
                if (!r.bootstrap.value().owner().equals(member)) {
                    throw new StoreException("cannot complete the bootstrap of " + cluster + " as " + member
                            + ": it is owned by " + r.bootstrap.value().owner());
                }
                r.bootstrap = r.bootstrap.next(new Bootstrap(member, true, systemId));
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public boolean acquireLease(String cluster, String member) {
        try {
            synchronized (backend) {
                check();
                ClusterRecords r = backend.records(cluster);
                if (r.lease == null) {
                    r.lease = new Ephemeral<>(member, session, 0);
                    return true;
                }
                if (!r.lease.value().equals(member)) {
                    return false;
                }
                if (r.lease.owner() != session) {
                    r.lease = new Ephemeral<>(member, session, 0);
                }
                return true;
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public boolean holdsLease(String cluster, String member) {
        synchronized (backend) {
            check();
            ClusterRecords r = backend.records(cluster);
            return r.lease != null && r.lease.owner() == session && r.lease.value().equals(member);
        }
    }

    @Override
    public void releaseLease(String cluster, String member) {
        try {
            synchronized (backend) {
                check();
                ClusterRecords r = backend.records(cluster);
                if (r.lease != null && r.lease.owner() == session && r.lease.value().equals(member)) {
                    r.lease = null;
                }
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public boolean writeFence(String cluster, Fence next, int expectedVersion) {
        try {
            synchronized (backend) {
                check();
                ClusterRecords r = backend.records(cluster);
                int current = r.fence == null ? -1 : r.fence.version();
                Fence stored = new Fence(next.writer(), next.epoch(), -1);
                if (current != expectedVersion) {
                    // Like CuratorClusterStore: a retried write that already landed is recognised by content.
                    return current == expectedVersion + 1 && r.fence.value().equals(stored);
                }
                r.fence = r.fence == null ? new Versioned<>(stored, 0) : r.fence.next(stored);
                return true;
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public AutoCloseable watch(String cluster, java.util.function.Consumer<Change> listener) {
        check();
        backend.listeners.add(listener);
        return () -> backend.listeners.remove(listener);
    }

    @Override
    public boolean putRequest(String cluster, OperatorRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            synchronized (backend) {
                check();
                ClusterRecords r = backend.records(cluster);
                if (r.request == null) {
                    r.request = request;
                    return true;
                }
                // Like CuratorClusterStore: a retried put that already landed is recognised by content.
                return r.request.equals(request);
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public boolean updateRequest(String cluster, java.util.function.UnaryOperator<OperatorRequest> change) {
        Objects.requireNonNull(change, "change");
        try {
            synchronized (backend) {
                check();
                ClusterRecords r = backend.records(cluster);
                if (r.request == null) {
                    return false;
                }
                OperatorRequest next = change.apply(r.request);
                if (next == null) {
                    return false;
                }
                r.request = next;
                return true;
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public void clearRequest(String cluster) {
        try {
            synchronized (backend) {
                check();
                backend.records(cluster).request = null;
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public void setPaused(String cluster, boolean paused) {
        try {
            synchronized (backend) {
                check();
                backend.records(cluster).paused = paused;
            }
        } finally {
            backend.changed();
        }
    }

    @Override
    public Map<String, String> tags(String cluster, String resource) {
        Objects.requireNonNull(resource, "resource");
        synchronized (backend) {
            check();
            return backend.records(cluster).tags.getOrDefault(resource, Map.of());
        }
    }

    /** Wakes no watcher, like {@link CuratorClusterStore#updateTags}. */
    @Override
    public Map<String, String> updateTags(String cluster, String resource,
                                          java.util.function.UnaryOperator<Map<String, String>> change) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(change, "change");
        synchronized (backend) {
            check();
            Map<String, String> after = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                    change.apply(backend.records(cluster).tags.getOrDefault(resource, Map.of()))));
            backend.records(cluster).tags.put(resource, after);
            return after;
        }
    }

    @Override
    public boolean createClusterSnapshot(io.multiaz.model.DbClusterSnapshot snapshot) {
        synchronized (backend) {
            check();
            return backend.clusterSnapshots.putIfAbsent(snapshot.identifier(), snapshot) == null;
        }
    }

    @Override
    public Optional<io.multiaz.model.DbClusterSnapshot> clusterSnapshot(String identifier) {
        synchronized (backend) {
            check();
            return Optional.ofNullable(backend.clusterSnapshots.get(identifier));
        }
    }

    @Override
    public List<io.multiaz.model.DbClusterSnapshot> clusterSnapshots() {
        synchronized (backend) {
            check();
            return List.copyOf(backend.clusterSnapshots.values());
        }
    }

    @Override
    public Optional<io.multiaz.model.DbClusterSnapshot> updateClusterSnapshot(String identifier,
            java.util.function.UnaryOperator<io.multiaz.model.DbClusterSnapshot> change) {
        synchronized (backend) {
            check();
            io.multiaz.model.DbClusterSnapshot cur = backend.clusterSnapshots.get(identifier);
            if (cur == null) {
                return Optional.empty();
            }
            io.multiaz.model.DbClusterSnapshot after = Objects.requireNonNull(change.apply(cur), "change");
            backend.clusterSnapshots.put(identifier, after);
            return Optional.of(after);
        }
    }

    @Override
    public boolean deleteClusterSnapshot(String identifier) {
        synchronized (backend) {
            check();
            return backend.clusterSnapshots.remove(identifier) != null;
        }
    }

    @Override
    public boolean createParameterGroup(io.multiaz.model.ParameterGroup group) {
        synchronized (backend) {
            check();
            return backend.parameterGroups.putIfAbsent(group.name(), group) == null;
        }
    }

    @Override
    public Optional<io.multiaz.model.ParameterGroup> parameterGroup(String name) {
        synchronized (backend) {
            check();
            return Optional.ofNullable(backend.parameterGroups.get(name));
        }
    }

    @Override
    public List<io.multiaz.model.ParameterGroup> parameterGroups() {
        synchronized (backend) {
            check();
            return List.copyOf(backend.parameterGroups.values());
        }
    }

    @Override
    public Optional<io.multiaz.model.ParameterGroup> updateParameterGroup(String name,
            java.util.function.UnaryOperator<io.multiaz.model.ParameterGroup> change) {
        synchronized (backend) {
            check();
            io.multiaz.model.ParameterGroup cur = backend.parameterGroups.get(name);
            if (cur == null) {
                return Optional.empty();
            }
            io.multiaz.model.ParameterGroup after = Objects.requireNonNull(change.apply(cur), "change");
            backend.parameterGroups.put(name, after);
            return Optional.of(after);
        }
    }

    @Override
    public boolean deleteParameterGroup(String name) {
        synchronized (backend) {
            check();
            return backend.parameterGroups.remove(name) != null;
        }
    }

    @Override
    public boolean createSubnetGroup(io.multiaz.model.SubnetGroup group) {
        synchronized (backend) {
            check();
            return backend.subnetGroups.putIfAbsent(group.name(), group) == null;
        }
    }

    @Override
    public Optional<io.multiaz.model.SubnetGroup> subnetGroup(String name) {
        synchronized (backend) {
            check();
            return Optional.ofNullable(backend.subnetGroups.get(name));
        }
    }

    @Override
    public List<io.multiaz.model.SubnetGroup> subnetGroups() {
        synchronized (backend) {
            check();
            return List.copyOf(backend.subnetGroups.values());
        }
    }

    @Override
    public boolean deleteSubnetGroup(String name) {
        synchronized (backend) {
            check();
            return backend.subnetGroups.remove(name) != null;
        }
    }

    /** Wakes no watcher, like {@link CuratorClusterStore#appendEvent}. */
    @Override
    public void appendEvent(String cluster, ClusterEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (backend) {
            check();
            Deque<ClusterEvent> events = backend.records(cluster).events;
            events.addLast(event);
            while (events.size() > eventsKept) {
                events.removeFirst();
            }
        }
    }

    @Override
    public List<ClusterEvent> events(String cluster, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("event limit must be at least 0, got " + limit);
        }
        synchronized (backend) {
            check();
            List<ClusterEvent> events = List.copyOf(backend.records(cluster).events);
            return events.subList(Math.max(0, events.size() - Math.min(limit, eventsKept)), events.size());
        }
    }

    /** Wakes no watcher, like {@link CuratorClusterStore#appendHistory}. */
    @Override
    public void appendHistory(String cluster, HistoryEntry entry) {
        Objects.requireNonNull(entry, "entry");
        synchronized (backend) {
            check();
            backend.records(cluster).history.add(entry);
        }
    }

    @Override
    public List<HistoryEntry> history(String cluster) {
        synchronized (backend) {
            check();
            return List.copyOf(backend.records(cluster).history);
        }
    }

    @Override
    public void publishMember(String cluster, MemberState state) {
        try {
            synchronized (backend) {
                check();
                Map<String, Ephemeral<MemberState>> members = backend.records(cluster).members;
                Ephemeral<MemberState> current = members.get(state.name());
                int version = current != null && current.owner() == session ? current.version() + 1 : 0;
                members.put(state.name(), new Ephemeral<>(state, session, version));
            }
        } finally {
            backend.changed(Change.MEMBER);
        }
    }

    @Override
    public void removeMember(String cluster, String member) {
        try {
            synchronized (backend) {
                check();
                Map<String, Ephemeral<MemberState>> members = backend.records(cluster).members;
                Ephemeral<MemberState> current = members.get(member);
                if (current != null && current.owner() == session) {
                    members.remove(member);
                }
            }
        } finally {
            backend.changed(Change.MEMBER);
        }
    }

    /** Ends this store's session: its ephemeral records vanish. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                backend.dropEphemerals(session);
            } finally {
                backend.changed(); // as ZooKeeper tells watchers the ephemerals went
            }
        }
    }

    private void check() {
        if (closed.get()) {
            throw new StoreException("the cluster store is closed; create a new one");
        }
        if (!connected) {
            throw new StoreException("not connected to the store (simulated)");
        }
    }
}
