package io.multiaz.store;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.Fence;
import io.multiaz.model.Lease;
import io.multiaz.store.ZkNodes.Stored;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Who writes a cluster: the bootstrap claim, the writer lease (an ephemeral znode, "mine" when its
 * ephemeral owner is the client's current session) and the fence (rewritten by version). Which
 * ephemerals to remove on close is the caller's to track. Thread-safe; it holds no state of its own.
 */
final class ZkWriter {
    /** Logs as the store it serves, so that log settings for the store still cover these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(CuratorClusterStore.class);

    /** The lease znode's JSON. */
    record LeaseRecord(String holder) {
    }

    /** The fence znode's JSON; the fence's version is the znode's. */
    record FenceRecord(String writer, long epoch) {
    }

    private final ZkNodes nodes;
    private final StorePaths paths;

    ZkWriter(ZkNodes nodes, StorePaths paths) {
        this.nodes = nodes;
        this.paths = paths;
    }

    /** The lease of {@code cluster} as session {@code session} sees it. */
    Optional<Lease> lease(String cluster, long session) {
        return nodes.get(paths.leader(cluster), LeaseRecord.class)
                .map(s -> new Lease(s.value().holder(), s.ownedBy(session)));
    }

    Optional<Fence> fence(String cluster) {
        return nodes.get(paths.fence(cluster), FenceRecord.class)
                .map(s -> new Fence(s.value().writer(), s.value().epoch(), s.version()));
    }

    boolean claimBootstrap(String cluster, String member) {
        String path = paths.bootstrap(cluster);
        if (nodes.create(path, new Bootstrap(member, false, null), CreateMode.PERSISTENT)) {
            LOG.info("{} claimed the bootstrap of cluster {}", member, cluster);
            return true;
        }
        // Also true when our own earlier create went through but its answer was lost.
        return nodes.get(path, Bootstrap.class).map(s -> s.value().owner().equals(member)).orElse(false);
    }

    void completeBootstrap(String cluster, String member, String systemId) {
        String path = paths.bootstrap(cluster);
        Stored<Bootstrap> current = nodes.get(path, Bootstrap.class)
                .orElseThrow(() -> new StoreException("cannot complete the bootstrap of " + cluster
                        + ": there is no bootstrap record at " + path + "; claim it first"));
        if (!current.value().owner().equals(member)) {
            throw new StoreException("cannot complete the bootstrap of " + cluster + " as " + member
                    + ": it is owned by " + current.value().owner());
        }
        if (!nodes.set(path, new Bootstrap(member, true, systemId), current.version())) {
            throw new StoreException("the bootstrap record at " + path
                    + " changed while " + member + " completed it; read it again and retry");
        }
    }

    /** True when this session now holds the lease at {@link StorePaths#leader}, an ephemeral to remove on close. */
    boolean acquireLease(String cluster, String member) {
        String path = paths.leader(cluster);
        LeaseRecord mine = new LeaseRecord(member);
        if (nodes.create(path, mine, CreateMode.EPHEMERAL)) {
            return true;
        }
        Optional<Stored<LeaseRecord>> current = nodes.get(path, LeaseRecord.class);
        if (current.isEmpty() || !current.get().value().holder().equals(member)) {
            return false;
        }
        if (current.get().ownedBy(nodes.sessionId())) {
            return true;
        }
        if (!nodes.replaceWithEphemeral(path, current.get().version(), mine)) {
            return false;
        }
        LOG.info("{} took over the writer lease of cluster {} left by its earlier session", member, cluster);
        return true;
    }

    boolean holdsLease(String cluster, String member) {
        long session = nodes.sessionId();
        return nodes.get(paths.leader(cluster), LeaseRecord.class)
                .map(s -> s.ownedBy(session) && s.value().holder().equals(member))
                .orElse(false);
    }

    void releaseLease(String cluster, String member) {
        String path = paths.leader(cluster);
        long session = nodes.sessionId();
        nodes.get(path, LeaseRecord.class)
                .filter(s -> s.ownedBy(session) && s.value().holder().equals(member))
                .ifPresent(s -> nodes.delete(path, s.version()));
    }

    boolean writeFence(String cluster, Fence next, int expectedVersion) {
        String path = paths.fence(cluster);
        FenceRecord record = new FenceRecord(next.writer(), next.epoch());
        boolean written = expectedVersion == -1
                ? nodes.create(path, record, CreateMode.PERSISTENT)
                : nodes.set(path, record, expectedVersion);
        if (written) {
            return true;
        }
        // A retried write whose first attempt landed looks like a lost race; recognise it by content.
        return nodes.get(path, FenceRecord.class)
                .map(s -> s.value().equals(record) && s.version() == expectedVersion + 1)
                .orElse(false);
    }
}
