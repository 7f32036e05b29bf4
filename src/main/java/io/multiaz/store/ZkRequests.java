package io.multiaz.store;

import io.multiaz.model.OperatorRequest;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The operator's say over a cluster: its one pending request (created once, changed by
 * compare-and-set, cleared when carried out) and whether automatic actions are paused (a marker
 * znode). Thread-safe; it holds no state of its own.
 */
final class ZkRequests {
    /** Logs as the store it serves, so that log settings for the store still cover these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(CuratorClusterStore.class);

    private final ZkNodes nodes;
    private final StorePaths paths;

    ZkRequests(ZkNodes nodes, StorePaths paths) {
        this.nodes = nodes;
        this.paths = paths;
    }

    boolean put(String cluster, OperatorRequest request) {
        String path = paths.request(cluster);
        if (nodes.create(path, request, CreateMode.PERSISTENT)) {
            LOG.info("stored a {} request for cluster {}", request.kind(), cluster);
            return true;
        }
        // Also true when our own earlier create went through but its answer was lost.
        return nodes.get(path, OperatorRequest.class).map(s -> s.value().equals(request)).orElse(false);
    }

    boolean update(String cluster, UnaryOperator<OperatorRequest> change) {
        String path = paths.request(cluster);
        for (int attempt = 0; attempt < ZkNodes.CAS_ATTEMPTS; attempt++) {
            Optional<ZkNodes.Stored<OperatorRequest>> cur = nodes.get(path, OperatorRequest.class);
            if (cur.isEmpty()) {
                return false;
            }
            OperatorRequest next = change.apply(cur.get().value());
            if (next == null) {
                return false;
            }
            if (nodes.set(path, next, cur.get().stat().getVersion())) {
                return true;
            }
            ZkNodes.backOff(attempt);
        }
        throw new StoreException("the request of cluster " + cluster + " kept changing under " + ZkNodes.CAS_ATTEMPTS
                + " updates; try again");
    }

    void clear(String cluster) {
        if (nodes.delete(paths.request(cluster), -1)) {
            LOG.info("cleared the request of cluster {}", cluster);
        }
    }

    void setPaused(String cluster, boolean paused) {
        String path = paths.paused(cluster);
        boolean changed = paused ? nodes.create(path, Map.of(), CreateMode.PERSISTENT) : nodes.delete(path, -1);
        if (changed) {
            LOG.info("automatic actions of cluster {} {}", cluster, paused ? "paused" : "resumed");
        }
    }
}
