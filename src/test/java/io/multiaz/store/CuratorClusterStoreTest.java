package io.multiaz.store;

import io.multiaz.model.Fence;
import io.multiaz.model.Lease;
import io.multiaz.model.Lsn;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static io.multiaz.store.StoreFixtures.event;
import static io.multiaz.store.ZooKeeperSessions.json;
import static io.multiaz.store.StoreFixtures.reader;
import static io.multiaz.store.StoreFixtures.switchover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link CuratorClusterStore} and {@link CuratorClusters} on an in-process ZooKeeper; each test works
 * under a root of its own.
 */
final class CuratorClusterStoreTest implements ClusterStoreRequestsContract, ClustersContract {
    private static TestingServer server;

    private final ZooKeeperSessions sessions = new ZooKeeperSessions(server);
    private final StorePaths paths = sessions.paths;

    @BeforeAll
    static void startServer() throws Exception {
        server = ZooKeeperSessions.newServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void closeSessions() throws Exception {
        sessions.close();
    }

    @Override
    public ClusterStore newSession() {
        return sessions.newStore();
    }

    @Override
    public ClusterStore newSessionKeepingEvents(int eventsKept) {
        return sessions.newStore(server, eventsKept);
    }

    @Override
    public void endSession(ClusterStore store) {
        sessions.clientOf(store).close();
    }

    @Override
    public RdsRecords records() {
        return sessions.newRecords();
    }

    @Test
    void acquireLease_afterSessionExpiry_newSessionHoldsIt() throws Exception {
        CuratorClusterStore store = newStore(server);
        CuratorFramework client = sessions.clientOf(store);
        store.acquireLease(CLUSTER, "db-1");
        long firstSession = client.getZookeeperClient().getZooKeeper().getSessionId();

        client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> client.getZookeeperClient().getZooKeeper().getSessionId() != firstSession
                        && store.isConnected() && store.read(CLUSTER).lease().isEmpty());

        assertThat(store.acquireLease(CLUSTER, "db-1")).isTrue();
        assertThat(store.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    void acquireLease_anyState_storesEphemeralHolderRecord() throws Exception {
        CuratorClusterStore store = newStore(server);
        CuratorFramework client = sessions.clientOf(store);

        store.acquireLease(CLUSTER, "db-1");
        store.writeFence(CLUSTER, new Fence("db-1", 7, 3), -1);
        store.publishMember(CLUSTER, reader("db-2"));

        Stat lease = client.checkExists().forPath(paths.leader(CLUSTER));
        assertThat(lease.getEphemeralOwner()).isEqualTo(client.getZookeeperClient().getZooKeeper().getSessionId());
        assertThat(json(client, paths.leader(CLUSTER))).isEqualTo("{\"holder\":\"db-1\"}");
        assertThat(json(client, paths.fence(CLUSTER))).isEqualTo("{\"writer\":\"db-1\",\"epoch\":7}");
        assertThat(client.checkExists().forPath(paths.member(CLUSTER, "db-2")).getEphemeralOwner()).isNotZero();
        assertThat(client.checkExists().forPath(paths.fence(CLUSTER)).getEphemeralOwner()).isZero();
    }

    @Test
    void read_unreadableRecord_throwsNamingThePath() throws Exception {
        CuratorClusterStore store = newStore(server);
        sessions.clientOf(store).create().creatingParentsIfNeeded()
                .forPath(paths.fence(CLUSTER), "not json".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.read(CLUSTER))
                .isInstanceOf(StoreException.class).hasMessageContaining(paths.fence(CLUSTER));
    }

    @Test
    void isConnected_serverStoppedAndRestarted_followsTheConnection() throws Exception {
        TestingServer own = ZooKeeperSessions.newServer();
        sessions.add(own);
        CuratorClusterStore store = newStore(own);
        assertThat(store.isConnected()).isTrue();

        own.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.isConnected());

        own.restart();
        await().atMost(Duration.ofSeconds(15)).until(store::isConnected);
        assertThat(store.read(CLUSTER).lease()).isEmpty();
    }

    @Test
    void read_serverDown_throwsStoreExceptionWithinBound() throws Exception {
        TestingServer own = ZooKeeperSessions.newServer();
        sessions.add(own);
        CuratorClusterStore store = newStore(own);
        own.stop();

        long start = System.nanoTime();
        assertThatThrownBy(() -> store.read(CLUSTER)).isInstanceOf(StoreException.class)
                .hasMessageContaining(paths.root());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void close_callersClient_staysOpen() {
        CuratorClusterStore store = newStore(server);
        CuratorFramework client = sessions.clientOf(store);

        store.close();

        assertThat(client.getZookeeperClient().isConnected()).isTrue();
        assertThat(new CuratorClusterStore(client, paths).read(CLUSTER).spec()).isEmpty();
    }

    @Test
    void constructor_retryForeverClient_isRefused() {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.getConnectString(),
                new RetryForever(100));
        sessions.add(client);

        assertThatThrownBy(() -> new CuratorClusterStore(client, paths))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bounded retry policy");
    }

    @Test
    void putRequest_anyRequest_storesPersistentJsonWithLowercaseKindAndLsnText() throws Exception {
        CuratorClusterStore store = newStore(server);
        CuratorFramework client = sessions.clientOf(store);
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));
        store.updateRequest(CLUSTER, cur -> cur.withWriterStoppedAt(Lsn.parse("0/3000060")));
        store.setPaused(CLUSTER, true);

        assertThat(json(client, paths.request(CLUSTER))).isEqualTo("{\"kind\":\"switchover\",\"from\":\"db-1\","
                + "\"to\":\"db-2\",\"force\":false,\"requestedAt\":\"2025-01-02T03:04:05Z\","
                + "\"writerStoppedAt\":\"0/3000060\",\"endpointsHeldAt\":null}");
        assertThat(client.checkExists().forPath(paths.request(CLUSTER)).getEphemeralOwner()).isZero();
        assertThat(client.checkExists().forPath(paths.paused(CLUSTER)).getEphemeralOwner()).isZero();
    }

    @Test
    void appendEvent_beyondKept_deletesOldestZnodesInBatches() throws Exception {
        CuratorClusterStore store = sessions.newStore(server, 40);
        CuratorFramework client = sessions.clientOf(store);

        IntStream.rangeClosed(1, 42).forEach(n -> store.appendEvent(CLUSTER, event(n)));
        assertThat(client.getChildren().forPath(paths.events(CLUSTER))).hasSize(42);
        store.appendEvent(CLUSTER, event(43));

        List<String> left = client.getChildren().forPath(paths.events(CLUSTER));
        assertThat(left).hasSize(40).allMatch(name -> name.contains("event-"));
        assertThat(store.events(CLUSTER, 1)).containsExactly(event(43));
    }

    @Test
    void events_foreignChildUnderEvents_isIgnored() throws Exception {
        CuratorClusterStore store = newStore(server);
        store.appendEvent(CLUSTER, event(1));
        sessions.clientOf(store).create().forPath(paths.events(CLUSTER) + "/notes", "x".getBytes(StandardCharsets.UTF_8));

        assertThat(store.events(CLUSTER, 10)).containsExactly(event(1));
    }

    @Test
    void constructor_noEventsKept_isRefused() {
        CuratorFramework client = sessions.clientOf(newStore(server));

        assertThatThrownBy(() -> new CuratorClusterStore(client, paths, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 event");
    }

    private CuratorClusterStore newStore(TestingServer zk) {
        return sessions.newStore(zk, ClusterStore.DEFAULT_EVENTS_KEPT);
    }
}
