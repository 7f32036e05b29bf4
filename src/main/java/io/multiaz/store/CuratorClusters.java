package io.multiaz.store;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSettings;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * {@link Clusters} on ZooKeeper through Curator, laid out by {@link StorePaths}: the specs are
 * {@link ZkRecords} at {@link StorePaths#spec}, a cluster is deleted with its whole subtree, and the
 * slots are one znode each (so two concurrent creates can never get the same one). The caller owns
 * the started client, as for {@link CuratorClusterStore}. Thread-safe; it holds no state of its own.
 */
public final class CuratorClusters implements Clusters {
    private static final Logger LOG = LoggerFactory.getLogger(CuratorClusters.class);
    /** A slot claimed this long ago for a cluster that has no spec is free again. */
    private static final long ABANDONED_MILLIS = 10 * 60 * 1000;

    /** A slot znode's content. */
    record SlotRecord(String cluster) {
    }

    private final ZkNodes nodes;
    private final StorePaths paths;
    private final ZkRecords<ClusterSpec> specs;

    /** The clusters laid out by {@code paths} on a started client the caller owns. */
    public CuratorClusters(CuratorFramework client, StorePaths paths) {
        this.nodes = new ZkNodes(Objects.requireNonNull(client, "client"));
        this.paths = Objects.requireNonNull(paths, "paths");
        this.specs = new ZkRecords<>(nodes, paths.clusters(), paths::spec, ClusterSpec.class, "spec of cluster");
    }

    @Override
    public List<String> names() {
        return nodes.children(paths.clusters()).stream()
                .filter(cluster -> nodes.stat(paths.spec(cluster)).isPresent())
                .sorted()
                .toList();
    }

    @Override
    public boolean create(ClusterSpec spec) {
        return specs.create(spec.name(), spec);
    }

    @Override
    public Optional<ClusterSpec> update(String cluster, UnaryOperator<ClusterSpec> change) {
        Objects.requireNonNull(change, "change");
        return specs.update(cluster, before -> {
            ClusterSpec after = change.apply(before);
            if (after != null && !after.name().equals(cluster)) {
                throw new IllegalArgumentException("a spec update cannot rename cluster " + cluster);
            }
            return after;
        });
    }

    /** Deletes the cluster's subtree, then frees its slot (a crash in between leaves a slot to reclaim). */
    @Override
    public void delete(String cluster) {
        Optional<ClusterSpec> spec = specs.get(cluster);
        nodes.deleteTree(paths.cluster(cluster));
        for (String child : nodes.children(paths.slots())) {
            String path = paths.slots() + "/" + child;
            nodes.get(path, SlotRecord.class).filter(s -> cluster.equals(s.value().cluster()))
                    .ifPresent(s -> nodes.delete(path, s.version()));
        }
        LOG.info("deleted cluster {} from the store (slot {})", cluster,
                spec.map(s -> Integer.toString(s.rds().slot())).orElse("unknown"));
    }

    @Override
    public OptionalInt claimSlot(String cluster) {
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

    @Override
    public AutoCloseable watch(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
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
