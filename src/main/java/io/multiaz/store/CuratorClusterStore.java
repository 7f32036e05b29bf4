package io.multiaz.store;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.Lease;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.RetryForever;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@link ClusterStore} on ZooKeeper through Apache Curator, laid out by {@link StorePaths}. The
 * writer lease and the member records are ephemeral znodes bound to the client's session; the
 * lease is "mine" when its znode's ephemeral owner is the client's current session id. Events and
 * history are sequential znodes ({@link ZkLog}); events beyond the newest {@code eventsKept} are
 * deleted by whichever store appends once about 5% extra have accumulated, and {@link #events} never
 * returns more than {@code eventsKept}. The work is done by one package-private class per job
 * ({@link ZkWriter}, {@link ZkMembers}, {@link ZkRequests}, {@link ZkLog}); this class checks it is
 * open, tracks the ephemerals to remove on close and delegates. The clusters' specs are written by
 * {@link CuratorClusters}; this store only reads them.
 *
 * <p>Ownership: the caller creates, starts and closes the {@link CuratorFramework} and so chooses
 * its connection string, session timeout and retry policy. Every operation is a foreground Curator
 * call, bounded by that connection timeout and retry policy; an unbounded {@link RetryForever}
 * policy is refused. {@link #close()} removes the ephemeral records this store created that its
 * session still owns and stops listening to the client, but leaves the client open.
 *
 * <p>Lifecycle: usable once constructed ({@code STARTED}, as its client is already started);
 * {@link #close()} moves it to {@code CLOSED} once, after which every operation throws
 * {@link StoreException}.
 *
 * <p>Thread safety: all methods may be called from any thread. Connection state is tracked by a
 * listener that Curator calls on its connection-state thread, in the order of state changes.
 */
public final class CuratorClusterStore implements ClusterStore {
    private static final Logger LOG = LoggerFactory.getLogger(CuratorClusterStore.class);

    private enum State { STARTED, CLOSED }

    private final CuratorFramework client;
    private final StorePaths paths;
    private final ZkNodes nodes;
    private final ZkLog log;
    private final ZkWriter writer;
    private final ZkRequests requests;
    private final ZkMembers members;
    private final int eventsKept;
    private final ConnectionTracker tracker;
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTED);
    /** Ephemeral znodes this store created, removed on close if the session still owns them. */
    private final Set<String> ephemerals = ConcurrentHashMap.newKeySet();

    /** A store under {@code root} (e.g. {@value StorePaths#DEFAULT_ROOT}) on a started client the caller owns. */
    public CuratorClusterStore(CuratorFramework client, String root) {
        this(client, new StorePaths(root));
    }

    /** A store laid out by {@code paths} on a started client the caller owns, keeping {@value #DEFAULT_EVENTS_KEPT} events. */
    public CuratorClusterStore(CuratorFramework client, StorePaths paths) {
        this(client, paths, DEFAULT_EVENTS_KEPT);
    }

    /** As {@link #CuratorClusterStore(CuratorFramework, StorePaths)}, keeping the newest {@code eventsKept} events per cluster. */
    public CuratorClusterStore(CuratorFramework client, StorePaths paths, int eventsKept) {
        this.client = Objects.requireNonNull(client, "client");
        this.paths = Objects.requireNonNull(paths, "paths");
        if (eventsKept < 1) {
            throw new IllegalArgumentException("the store must keep at least 1 event per cluster, got " + eventsKept);
        }
        this.eventsKept = eventsKept;
        if (client.getZookeeperClient().getRetryPolicy() instanceof RetryForever) {
            throw new IllegalArgumentException("the Curator client retries forever, which would block the HA "
                    + "loop while ZooKeeper is unreachable; give it a bounded retry policy such as RetryNTimes");
        }
        this.nodes = new ZkNodes(client);
        this.log = new ZkLog(nodes);
        this.writer = new ZkWriter(nodes, paths);
        this.requests = new ZkRequests(nodes, paths);
        this.members = new ZkMembers(nodes, paths);
        this.tracker = new ConnectionTracker(client);
        client.getConnectionStateListenable().addListener(tracker);
    }

    @Override
    public boolean isConnected() {
        return state.get() == State.STARTED && tracker.connected();
    }

    @Override
    public ClusterSnapshot read(String cluster) {
        checkOpen();
        long session = nodes.sessionId();
        Optional<ClusterSpec> spec = nodes.value(paths.spec(cluster), ClusterSpec.class);
        Optional<Bootstrap> bootstrap = nodes.value(paths.bootstrap(cluster), Bootstrap.class);
        Optional<Lease> lease = writer.lease(cluster, session);
        Optional<Fence> fence = writer.fence(cluster);
        Optional<OperatorRequest> request = nodes.value(paths.request(cluster), OperatorRequest.class);
        boolean paused = nodes.stat(paths.paused(cluster)).isPresent();
        return new ClusterSnapshot(spec, bootstrap, lease, fence, members.read(cluster), request, paused);
    }

    @Override
    public boolean claimBootstrap(String cluster, String member) {
        checkOpen();
        return writer.claimBootstrap(cluster, member);
    }

    @Override
    public void completeBootstrap(String cluster, String member, String systemId) {
        checkOpen();
        writer.completeBootstrap(cluster, member, systemId);
    }

    @Override
    public boolean acquireLease(String cluster, String member) {
        checkOpen();
        boolean held = writer.acquireLease(cluster, member);
        if (held) {
            ephemerals.add(paths.leader(cluster));
        }
        return held;
    }

    @Override
    public boolean holdsLease(String cluster, String member) {
        checkOpen();
        return writer.holdsLease(cluster, member);
    }

    @Override
    public void releaseLease(String cluster, String member) {
        checkOpen();
        writer.releaseLease(cluster, member);
        ephemerals.remove(paths.leader(cluster));
    }

    @Override
    public boolean writeFence(String cluster, Fence next, int expectedVersion) {
        checkOpen();
        return writer.writeFence(cluster, next, expectedVersion);
    }

    @Override
    public AutoCloseable watch(String cluster, Consumer<Change> listener) {
        checkOpen();
        CuratorCache cache = CuratorCache.build(client, paths.cluster(cluster));
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> {
                    // Deletions carry only the old data. Event and history appends (and trims) and tag changes wake no one.
                    String path = (data != null ? data : oldData).getPath();
                    if (!paths.isLog(cluster, path) && !paths.isTags(cluster, path)) {
                        listener.accept(path.startsWith(paths.members(cluster) + "/") ? Change.MEMBER
                                : Change.COORDINATION);
                    }
                })
                .build());
        cache.start();
        return cache::close;
    }

    @Override
    public boolean putRequest(String cluster, OperatorRequest request) {
        checkOpen();
        return requests.put(cluster, Objects.requireNonNull(request, "request"));
    }

    @Override
    public boolean updateRequest(String cluster, UnaryOperator<OperatorRequest> change) {
        checkOpen();
        return requests.update(cluster, Objects.requireNonNull(change, "change"));
    }

    @Override
    public void clearRequest(String cluster) {
        checkOpen();
        requests.clear(cluster);
    }

    @Override
    public void setPaused(String cluster, boolean paused) {
        checkOpen();
        requests.setPaused(cluster, paused);
    }

    @Override
    public void appendEvent(String cluster, ClusterEvent event) {
        checkOpen();
        log.append(paths.event(cluster), Objects.requireNonNull(event, "event"));
        try {
            log.trim(paths.events(cluster), eventsKept, eventsKept / 20);
        } catch (StoreException e) {
            LOG.warn("appended an event to cluster {} but could not delete its oldest events; the next append "
                    + "tries again", cluster, e);
        }
    }

    @Override
    public List<ClusterEvent> events(String cluster, int limit) {
        checkOpen();
        if (limit < 0) {
            throw new IllegalArgumentException("event limit must be at least 0, got " + limit);
        }
        return log.newest(paths.events(cluster), ClusterEvent.class, Math.min(limit, eventsKept));
    }

    @Override
    public void appendHistory(String cluster, HistoryEntry entry) {
        checkOpen();
        log.append(paths.historyEntry(cluster), Objects.requireNonNull(entry, "entry"));
    }

    @Override
    public List<HistoryEntry> history(String cluster) {
        checkOpen();
        return log.newest(paths.history(cluster), HistoryEntry.class, Integer.MAX_VALUE);
    }

    @Override
    public void publishMember(String cluster, MemberState member) {
        checkOpen();
        members.publish(cluster, member);
        ephemerals.add(paths.member(cluster, member.name()));
    }

    @Override
    public void removeMember(String cluster, String member) {
        checkOpen();
        String path = paths.member(cluster, member);
        members.deleteIfOwned(path);
        ephemerals.remove(path);
    }

    /**
     * Removes the ephemeral records this store created that its session still owns (best effort:
     * when disconnected they vanish only when the session expires), then stops listening to the
     * client. Leaves the client open. Idempotent.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(State.STARTED, State.CLOSED)) {
            return;
        }
        try {
            removeEphemerals();
        } finally {
            client.getConnectionStateListenable().removeListener(tracker);
        }
    }

    private void removeEphemerals() {
        if (!tracker.connected()) {
            LOG.warn("closing while disconnected from ZooKeeper: {} ephemeral records vanish when the session "
                    + "expires", ephemerals.size());
            return;
        }
        for (String path : ephemerals) {
            try {
                members.deleteIfOwned(path);
            } catch (StoreException e) {
                LOG.warn("could not remove {} on close; it vanishes when the session expires", path, e);
            }
        }
        ephemerals.clear();
    }

    private void checkOpen() {
        if (state.get() != State.STARTED) {
            throw new StoreException("the cluster store is closed; create a new one");
        }
    }
}
