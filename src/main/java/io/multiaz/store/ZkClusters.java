package io.multiaz.store;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSettings;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The life of clusters in the store, as the RDS API drives it: creating a spec, changing it by
 * compare-and-set, deleting a cluster's whole subtree, the cluster slots (one znode per slot taken,
 * so two concurrent creates can never get the same one), and a watch on the set of clusters.
 * Thread-safe; it holds no state of its own.
 */
final class ZkClusters {
    private static final Logger LOG = LoggerFactory.getLogger(ZkClusters.class);
    /** A slot claimed this long ago for a cluster that has no spec is free again. */
    private static final long ABANDONED_MILLIS = 10 * 60 * 1000;

    /** A slot znode's content. */
    record SlotRecord(String cluster) {
    }

    private final ZkNodes nodes;
    private final StorePaths paths;

    ZkClusters(ZkNodes nodes, StorePaths paths) {
        this.nodes = nodes;
        this.paths = paths;
    }

    boolean create(ClusterSpec spec) {
        return nodes.create(paths.spec(spec.name()), spec, CreateMode.PERSISTENT);
    }

    Optional<ClusterSpec> update(String cluster, UnaryOperator<ClusterSpec> change) {
        String path = paths.spec(cluster);
        for (int attempt = 0; attempt < ZkNodes.CAS_ATTEMPTS; attempt++) {
            Optional<ZkNodes.Stored<ClusterSpec>> cur = nodes.get(path, ClusterSpec.class);
            if (cur.isEmpty()) {
                return Optional.empty();
            }
            ClusterSpec before = cur.get().value();
            ClusterSpec after = change.apply(before);
            if (after == null || after.equals(before)) {
                return Optional.of(before);
            }
            if (!after.name().equals(cluster)) {
                throw new IllegalArgumentException("a spec update cannot rename cluster " + cluster);
            }
            if (nodes.set(path, after, cur.get().version())) {
                return Optional.of(after);
            }
            ZkNodes.backOff(attempt);
        }
        throw new StoreException("the spec of cluster " + cluster + " kept changing under " + ZkNodes.CAS_ATTEMPTS
                + " updates; try again");
    }

    /** Deletes the cluster's subtree, then frees its slot (a crash in between leaves a slot to reclaim). */
    void delete(String cluster) {
        Optional<ClusterSpec> spec = nodes.value(paths.spec(cluster), ClusterSpec.class);
        nodes.deleteTree(paths.cluster(cluster));
        for (String child : nodes.children(paths.slots())) {
            String path = paths.slots() + "/" + child;
            nodes.get(path, SlotRecord.class).filter(s -> cluster.equals(s.value().cluster()))
                    .ifPresent(s -> nodes.delete(path, s.version()));
        }
        LOG.info("deleted cluster {} from the store (slot {})", cluster,
                spec.map(s -> Integer.toString(s.rds().slot())).orElse("unknown"));
    }

    OptionalInt claimSlot(String cluster) {
        for (int slot = 1; slot < DbClusterSettings.MAX_SLOTS; slot++) {
            Optional<ZkNodes.Stored<SlotRecord>> held = nodes.get(paths.slot(slot), SlotRecord.class);
            if (held.isPresent() && cluster.equals(held.get().value().cluster())) {
                return OptionalInt.of(slot);
            }
        }
        for (int slot = 1; slot < DbClusterSettings.MAX_SLOTS; slot++) {
            String path = paths.slot(slot);
            if (nodes.create(path, new SlotRecord(cluster), CreateMode.PERSISTENT)) {
                return OptionalInt.of(slot);
            }
            // held for a cluster that never came or is gone (a crash between claiming and creating, or
            // in deleting)? Only after a grace period: a create in progress claims first, then stores its spec
            Optional<ZkNodes.Stored<SlotRecord>> held = nodes.get(path, SlotRecord.class);
            if (held.isPresent() && held.get().stat().getMtime() < System.currentTimeMillis() - ABANDONED_MILLIS
                    && nodes.stat(paths.spec(held.get().value().cluster())).isEmpty()
                    && nodes.stat(paths.cluster(held.get().value().cluster())).isEmpty()
                    && nodes.set(path, new SlotRecord(cluster), held.get().version())) {
                return OptionalInt.of(slot);
            }
        }
        return OptionalInt.empty();
    }

    AutoCloseable watch(Runnable listener) {
        PersistentWatcher watcher = new PersistentWatcher(nodes.client(), paths.clusters(), false);
        watcher.getListenable().addListener(event -> {
            if (event.getType() == Watcher.Event.EventType.NodeChildrenChanged
                    || event.getType() == Watcher.Event.EventType.NodeCreated) {
                listener.run();
            }
        });
        watcher.start();
        return watcher::close;
    }
}
