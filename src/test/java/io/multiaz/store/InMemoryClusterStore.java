package io.multiaz.store;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.Lease;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.store.InMemoryEnsemble.ClusterRecords;
import io.multiaz.store.InMemoryEnsemble.Ephemeral;
import io.multiaz.store.InMemoryEnsemble.Versioned;

import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An in-memory {@link ClusterStore} that behaves like {@link CuratorClusterStore}, for unit tests
 * of the HA loop and the agent. One {@link InMemoryEnsemble} plays the ZooKeeper ensemble, with its
 * {@link InMemoryEnsemble#clusters()} and {@link InMemoryEnsemble#records()} on the same data; each
 * {@code InMemoryClusterStore} on it plays one agent's client with its own session, whose
 * ephemeral records (lease, members) vanish on {@link #expireSession()} or {@link #close()}.
 * Versions follow ZooKeeper's: 0 after create, +1 per write. Like the Curator store, appending events
 * or history wakes no watcher, and each store keeps the newest {@code eventsKept} events it appends.
 *
 * <p>Thread-safe: every operation runs under the ensemble's lock.
 */
public final class InMemoryClusterStore implements ClusterStore {
    private final InMemoryEnsemble ensemble;
    private final int eventsKept;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean connected = true;
    private volatile long session;

    /** A store on an ensemble of its own. */
    public InMemoryClusterStore() {
        this(new InMemoryEnsemble());
    }

    /** A new session on the shared {@code ensemble}, keeping {@value ClusterStore#DEFAULT_EVENTS_KEPT} events. */
    public InMemoryClusterStore(InMemoryEnsemble ensemble) {
        this(ensemble, DEFAULT_EVENTS_KEPT);
    }

    /** A new session on the shared {@code ensemble} that keeps the newest {@code eventsKept} events per cluster. */
    public InMemoryClusterStore(InMemoryEnsemble ensemble, int eventsKept) {
        this.ensemble = Objects.requireNonNull(ensemble, "ensemble");
        if (eventsKept < 1) {
            throw new IllegalArgumentException("the store must keep at least 1 event per cluster, got " + eventsKept);
        }
        this.eventsKept = eventsKept;
        this.session = ensemble.newSession();
    }

    /** The ensemble this store is a session of. */
    public InMemoryEnsemble ensemble() {
        return ensemble;
    }

    /** This store's current session id. */
    public long sessionId() {
        return session;
    }

    /** Ends this store's session as ZooKeeper would on expiry: its ephemeral records vanish; a new session starts. */
    public void expireSession() {
        try {
            synchronized (ensemble) {
                ensemble.dropEphemerals(session);
                session = ensemble.newSession();
            }
        } finally {
            ensemble.changed();
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
    public ClusterSnapshot read(String cluster) {
        synchronized (ensemble) {
            check();
            ClusterRecords r = ensemble.records(cluster);
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
            synchronized (ensemble) {
                check();
                ClusterRecords r = ensemble.records(cluster);
                if (r.bootstrap == null) {
                    r.bootstrap = new Versioned<>(new Bootstrap(member, false, null), 0);
                }
                return r.bootstrap.value().owner().equals(member);
            }
        } finally {
            ensemble.changed();
        }
    }

    @Override
    public void completeBootstrap(String cluster, String member, String systemId) {
        try {
            synchronized (ensemble) {
                check();
                ClusterRecords r = ensemble.records(cluster);
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
            ensemble.changed();
        }
    }

    @Override
    public boolean acquireLease(String cluster, String member) {
        try {
            synchronized (ensemble) {
                check();
                ClusterRecords r = ensemble.records(cluster);
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
            ensemble.changed();
        }
    }

    @Override
    public boolean holdsLease(String cluster, String member) {
        synchronized (ensemble) {
            check();
            ClusterRecords r = ensemble.records(cluster);
            return r.lease != null && r.lease.owner() == session && r.lease.value().equals(member);
        }
    }

    @Override
    public void releaseLease(String cluster, String member) {
        try {
            synchronized (ensemble) {
                check();
                ClusterRecords r = ensemble.records(cluster);
                if (r.lease != null && r.lease.owner() == session && r.lease.value().equals(member)) {
                    r.lease = null;
                }
            }
        } finally {
            ensemble.changed();
        }
    }

    @Override
    public boolean writeFence(String cluster, Fence next, int expectedVersion) {
        try {
            synchronized (ensemble) {
                check();
                ClusterRecords r = ensemble.records(cluster);
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
            ensemble.changed();
        }
    }

    @Override
    public AutoCloseable watch(String cluster, Consumer<Change> listener) {
        check();
        ensemble.listeners.add(listener);
        return () -> ensemble.listeners.remove(listener);
    }

    @Override
    public boolean putRequest(String cluster, OperatorRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            synchronized (ensemble) {
                check();
                ClusterRecords r = ensemble.records(cluster);
                if (r.request == null) {
                    r.request = request;
                    return true;
                }
                // Like CuratorClusterStore: a retried put that already landed is recognised by content.
                return r.request.equals(request);
            }
        } finally {
            ensemble.changed();
        }
    }

    @Override
    public boolean updateRequest(String cluster, UnaryOperator<OperatorRequest> change) {
        Objects.requireNonNull(change, "change");
        try {
            synchronized (ensemble) {
                check();
                ClusterRecords r = ensemble.records(cluster);
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
            ensemble.changed();
        }
    }

    @Override
    public void clearRequest(String cluster) {
        try {
            synchronized (ensemble) {
                check();
                ensemble.records(cluster).request = null;
            }
        } finally {
            ensemble.changed();
        }
    }

    @Override
    public void setPaused(String cluster, boolean paused) {
        try {
            synchronized (ensemble) {
                check();
                ensemble.records(cluster).paused = paused;
            }
        } finally {
            ensemble.changed();
        }
    }

    /** Wakes no watcher, like {@link CuratorClusterStore#appendEvent}. */
    @Override
    public void appendEvent(String cluster, ClusterEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (ensemble) {
            check();
            Deque<ClusterEvent> events = ensemble.records(cluster).events;
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
        synchronized (ensemble) {
            check();
            List<ClusterEvent> events = List.copyOf(ensemble.records(cluster).events);
            return events.subList(Math.max(0, events.size() - Math.min(limit, eventsKept)), events.size());
        }
    }

    /** Wakes no watcher, like {@link CuratorClusterStore#appendHistory}. */
    @Override
    public void appendHistory(String cluster, HistoryEntry entry) {
        Objects.requireNonNull(entry, "entry");
        synchronized (ensemble) {
            check();
            ensemble.records(cluster).history.add(entry);
        }
    }

    @Override
    public List<HistoryEntry> history(String cluster) {
        synchronized (ensemble) {
            check();
            return List.copyOf(ensemble.records(cluster).history);
        }
    }

    @Override
    public void publishMember(String cluster, MemberState state) {
        try {
            synchronized (ensemble) {
                check();
                Map<String, Ephemeral<MemberState>> members = ensemble.records(cluster).members;
                Ephemeral<MemberState> current = members.get(state.name());
                int version = current != null && current.owner() == session ? current.version() + 1 : 0;
                members.put(state.name(), new Ephemeral<>(state, session, version));
            }
        } finally {
            ensemble.changed(Change.MEMBER);
        }
    }

    @Override
    public void removeMember(String cluster, String member) {
        try {
            synchronized (ensemble) {
                check();
                Map<String, Ephemeral<MemberState>> members = ensemble.records(cluster).members;
                Ephemeral<MemberState> current = members.get(member);
                if (current != null && current.owner() == session) {
                    members.remove(member);
                }
            }
        } finally {
            ensemble.changed(Change.MEMBER);
        }
    }

    /** Ends this store's session: its ephemeral records vanish. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                ensemble.dropEphemerals(session);
            } finally {
                ensemble.changed(); // as ZooKeeper tells watchers the ephemerals went
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
