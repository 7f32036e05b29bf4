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
        return nodes.get(paths.clusterSnapshot(identifier), DbClusterSnapshot.class).map(ZkNodes.Stored::value);
    }

    List<DbClusterSnapshot> all() {
        // one deleted between listing and reading is left out
        return nodes.children(paths.clusterSnapshots()).stream().sorted()
                .flatMap(id -> get(id).stream()).toList();
    }

    Optional<DbClusterSnapshot> update(String identifier, UnaryOperator<DbClusterSnapshot> change) {
        String path = paths.clusterSnapshot(identifier);
        for (int attempt = 0; attempt < ZkNodes.CAS_ATTEMPTS; attempt++) {
            Optional<ZkNodes.Stored<DbClusterSnapshot>> cur = nodes.get(path, DbClusterSnapshot.class);
            if (cur.isEmpty()) {
                return Optional.empty();
            }
            DbClusterSnapshot after = change.apply(cur.get().value());
            if (after.equals(cur.get().value()) || nodes.set(path, after, cur.get().version())) {
                return Optional.of(after);
            }
            ZkNodes.backOff(attempt);
        }
        throw new StoreException("the DB cluster snapshot " + identifier + " kept changing under "
                + ZkNodes.CAS_ATTEMPTS + " updates; try again");
    }

    boolean delete(String identifier) {
        return nodes.delete(paths.clusterSnapshot(identifier), -1);
    }
}
