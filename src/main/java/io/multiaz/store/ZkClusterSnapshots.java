package io.multiaz.store;

import io.multiaz.model.DbClusterSnapshot;
import org.apache.zookeeper.CreateMode;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * DB cluster snapshot records, one JSON znode per snapshot under {@link StorePaths#clusterSnapshots()},
 * created once (so an identifier is taken by whoever creates it first) and changed by
 * compare-and-set. The files themselves are on the host the record names. Thread-safe; it holds
 * no state of its own.
 */
final class ZkClusterSnapshots {
    private final ZkNodes nodes;
    private final StorePaths paths;

    ZkClusterSnapshots(ZkNodes nodes, StorePaths paths) {
        this.nodes = nodes;
        this.paths = paths;
    }

    boolean create(DbClusterSnapshot snapshot) {
        return nodes.create(paths.clusterSnapshot(snapshot.identifier()), snapshot, CreateMode.PERSISTENT);
    }

    Optional<DbClusterSnapshot> get(String identifier) {
        return nodes.value(paths.clusterSnapshot(identifier), DbClusterSnapshot.class);
    }

    List<DbClusterSnapshot> all() {
        return nodes.listed(paths.clusterSnapshots(), this::get);
    }

    Optional<DbClusterSnapshot> update(String identifier, UnaryOperator<DbClusterSnapshot> change) {
        return nodes.update(paths.clusterSnapshot(identifier), DbClusterSnapshot.class, change,
                "the DB cluster snapshot " + identifier);
    }

    boolean delete(String identifier) {
        return nodes.delete(paths.clusterSnapshot(identifier), -1);
    }
}
