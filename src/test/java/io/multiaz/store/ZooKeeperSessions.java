package io.multiaz.store;

import io.multiaz.json.Json;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients (sessions) one store test opens on an in-process ZooKeeper, all under a root of the
 * test's own ({@link #paths}), closed in reverse order by {@link #close()}. Not thread-safe: one
 * test's thread opens them.
 */
final class ZooKeeperSessions implements AutoCloseable {
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);

    final StorePaths paths = new StorePaths("/test-" + UUID.randomUUID());
    private final TestingServer server;
    private final Map<Object, CuratorFramework> clients = new IdentityHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Sessions on {@code server}, which the caller owns. */
    ZooKeeperSessions(TestingServer server) {
        this.server = server;
    }

    /** tickTime 500 ms: sessions of 1..10 s are accepted, expired sessions are noticed quickly. */
    static TestingServer newServer() throws Exception {
        return new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
    }

    /** A new connected client on {@code zk} with a session of {@link #SESSION_TIMEOUT}, closed with the others. */
    CuratorFramework newClient(TestingServer zk) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(zk.getConnectString())
                .sessionTimeoutMs((int) SESSION_TIMEOUT.toMillis())
                .connectionTimeoutMs(1000)
                .retryPolicy(new RetryNTimes(1, 100))
                .build();
        resources.add(client);
        client.start();
        try {
            assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).as("connected to ZooKeeper").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return client;
    }

    /** A store on a new client of {@code zk}, keeping {@code eventsKept} events. */
    CuratorClusterStore newStore(TestingServer zk, int eventsKept) {
        CuratorFramework client = newClient(zk);
        CuratorClusterStore store = new CuratorClusterStore(client, paths, eventsKept);
        resources.add(store);
        clients.put(store, client);
        return store;
    }

    /** A store on a new client of the shared server. */
    CuratorClusterStore newStore() {
        return newStore(server, ClusterStore.DEFAULT_EVENTS_KEPT);
    }

    /** The RDS repositories on a new client of the shared server, with the events of a new store. */
    RdsRecords newRecords() {
        CuratorFramework client = newClient(server);
        RdsRecords records = RdsRecords.onZooKeeper(client, paths, newStore());
        clients.put(records, client);
        return records;
    }

    /** The client {@code storeOrRecords} was made on. */
    CuratorFramework clientOf(Object storeOrRecords) {
        return clients.get(storeOrRecords);
    }

    /** Closes {@code resource} with the sessions. */
    void add(AutoCloseable resource) {
        resources.add(resource);
    }

    /** The JSON at {@code path} as ZooKeeper holds it, compacted. */
    static String json(CuratorFramework client, String path) throws Exception {
        return Json.mapper().readTree(client.getData().forPath(path)).toString();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }
}
