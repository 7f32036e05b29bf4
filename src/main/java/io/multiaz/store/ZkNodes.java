package io.multiaz.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.multiaz.json.Json;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * JSON records in znodes over a started {@link CuratorFramework}: the few conditional reads and
 * writes {@link CuratorClusterStore}, {@link CuratorClusters} and {@link ZkRecords} are built from,
 * each turning every ZooKeeper or Curator failure into a {@link StoreException} that says what
 * failed on which path. Expected outcomes of a
 * conditional write (node exists, node gone, bad version) are answers ({@code false} or empty),
 * not exceptions.
 *
 * <p>Every call is a foreground Curator call, so its duration is bounded by the client's
 * connection timeout and retry policy. Thread-safe; it holds no state of its own.
 */
final class ZkNodes {
    private final CuratorFramework client;
    private final ObjectMapper mapper = Json.mapper();

    ZkNodes(CuratorFramework client) {
        this.client = client;
    }

    /** A record read from a znode together with the znode's stat. */
    record Stored<T>(T value, Stat stat) {
        int version() {
            return stat.getVersion();
        }

        /** True when the znode is ephemeral and bound to {@code sessionId}. */
        boolean ownedBy(long sessionId) {
            return stat.getEphemeralOwner() != 0 && stat.getEphemeralOwner() == sessionId;
        }
    }

    @FunctionalInterface
    private interface ZkCall<T> {
        T call() throws Exception;
    }

    /** This client's current ZooKeeper session id; it changes when the session expires and a new one starts. */
    long sessionId() {
        return call("read the session id of the client for", client.getZookeeperClient().getCurrentConnectionString(),
                () -> client.getZookeeperClient().getZooKeeper().getSessionId());
    }

    /** The record at {@code path}, or empty when there is no such znode. */
    <T> Optional<Stored<T>> get(String path, Class<T> type) {
        Optional<Stored<byte[]>> raw = call("read", path, () -> {
            Stat stat = new Stat();
            try {
                byte[] data = client.getData().storingStatIn(stat).forPath(path);
                return Optional.of(new Stored<>(data, stat));
            } catch (KeeperException.NoNodeException e) {
                return Optional.empty();
            }
        });
        return raw.map(r -> new Stored<>(decode(path, r.value(), type), r.stat()));
    }

    /** The record at {@code path} without its stat, or empty when there is no such znode. */
    <T> Optional<T> value(String path, Class<T> type) {
        return get(path, type).map(Stored::value);
    }

    /**
     * The records named by the children of {@code folder}, in name order, each read by {@code read}
     * from its name; one deleted between listing and reading is left out.
     */
    <T> List<T> listed(String folder, java.util.function.Function<String, Optional<T>> read) {
        return children(folder).stream().sorted().flatMap(name -> read.apply(name).stream()).toList();
    }

    /** The stat of {@code path}, or empty when there is no such znode. */
    Optional<Stat> stat(String path) {
        return call("check", path, () -> Optional.ofNullable(client.checkExists().forPath(path)));
    }

    /** Child names of {@code path}; empty when the znode does not exist. */
    List<String> children(String path) {
        return call("list children of", path, () -> {
            try {
                return client.getChildren().forPath(path);
            } catch (KeeperException.NoNodeException e) {
                return List.of();
            }
        });
    }

    /**
     * Creates {@code path} holding {@code value}, creating missing parents as persistent nodes.
     *
     * @return false when the znode already exists
     */
    boolean create(String path, Object value, CreateMode mode) {
        byte[] data = encode(path, value);
        return call("create", path, () -> {
            try {
                client.create().creatingParentsIfNeeded().withMode(mode).forPath(path, data);
                return true;
            } catch (KeeperException.NodeExistsException e) {
                return false;
            }
        });
    }

    /**
     * Creates a persistent sequential znode at {@code pathPrefix} followed by the sequence number
     * ZooKeeper assigns, creating missing parents. Protected mode: when the connection drops during
     * the create, Curator's retry finds the node the first attempt made instead of adding a second.
     *
     * @return the created node's path
     */
    String createSequential(String pathPrefix, Object value) {
        byte[] data = encode(pathPrefix, value);
        return call("create", pathPrefix, () -> client.create().creatingParentsIfNeeded().withProtection()
                .withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(pathPrefix, data));
    }

    /** @return false when the znode is gone or its version is no longer {@code version} */
    boolean set(String path, Object value, int version) {
        byte[] data = encode(path, value);
        return call("write", path, () -> {
            try {
                client.setData().withVersion(version).forPath(path, data);
                return true;
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
                return false;
            }
        });
    }

    /** @return false when the znode is gone or its version is no longer {@code version} (-1: any version) */
    boolean delete(String path, int version) {
        return call("delete", path, () -> {
            try {
                client.delete().withVersion(version).forPath(path);
                return true;
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
                return false;
            }
        });
    }

    /** Deletes {@code path} and everything under it; false when it was not there. */
    boolean deleteTree(String path) {
        return call("delete", path, () -> {
            try {
                client.delete().deletingChildrenIfNeeded().forPath(path);
                return true;
            } catch (KeeperException.NoNodeException e) {
                return false;
            }
        });
    }

    /** The client the nodes are read through, for watches. */
    CuratorFramework client() {
        return client;
    }

    /**
     * Atomically deletes {@code path} at {@code version} and creates it again as an ephemeral node of
     * this session holding {@code value}; how an ephemeral record left by an older session is taken over.
     *
     * @return false when someone changed, deleted or recreated the znode first
     */
    boolean replaceWithEphemeral(String path, int version, Object value) {
        byte[] data = encode(path, value);
        return call("replace", path, () -> {
            try {
                client.transaction().forOperations(
                        client.transactionOp().delete().withVersion(version).forPath(path),
                        client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, data));
                return true;
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException
                     | KeeperException.NodeExistsException e) {
                return false;
            }
        });
    }

    private byte[] encode(String path, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not encode " + value.getClass().getSimpleName() + " for " + path, e);
        }
    }

    private <T> T decode(String path, byte[] data, Class<T> type) {
        try {
            return mapper.readValue(data, type);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("unreadable " + type.getSimpleName() + " record at " + path
                    + "; fix or delete the znode", e);
        }
    }

    private static <T> T call(String what, String path, ZkCall<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while trying to " + what + " " + path, e);
        } catch (KeeperException e) {
            throw new StoreException("could not " + what + " " + path + ": ZooKeeper answered " + e.code(), e);
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw new StoreException("could not " + what + " " + path + ": " + e, e);
        }
    }

    /** How many times a compare-and-set update is tried before it gives up (with {@link #backOff} between). */
    static final int CAS_ATTEMPTS = 50;

    /**
     * Waits a random 1 to a few milliseconds after a lost compare-and-set, so that writers racing
     * for one znode do not keep colliding in lockstep.
     */
    static void backOff(int attempt) {
        try {
            Thread.sleep(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1 + Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying an update; try again", e);
        }
    }
}
