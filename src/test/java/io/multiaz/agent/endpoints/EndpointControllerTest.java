package io.multiaz.agent.endpoints;

import io.multiaz.config.EndpointLayout;
import io.multiaz.store.InMemoryClusterStore;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint owner election when a cluster is deleted, on a real ZooKeeper: the agents see the
 * deletion each in its own time, so the first to remove the election must not pull it from under
 * the latches that still run (finding F4 of the API fuzzer, issue 21), and a notice that reaches a
 * closed controller is dropped, not thrown on Curator's thread (F6).
 */
final class EndpointControllerTest {
    private static TestingServer zk;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final StorePaths paths = new StorePaths("/test-" + UUID.randomUUID());
    private final InMemoryClusterStore store = new InMemoryClusterStore();

    @TempDir
    Path dir;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zk = new TestingServer(true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zk.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void removeLatch_otherAgentsStillRunTheirLatch_leavesTheirCandidatesAndTheLastRemovesTheElection()
            throws Exception {
        List<CuratorFramework> clients = new ArrayList<>();
        List<EndpointController> controllers = new ArrayList<>();
        for (String az : List.of("az-a", "az-b", "az-c")) {
            CuratorFramework client = client();
            clients.add(client);
            EndpointController c = controller(client, az);
            c.start();
            controllers.add(c);
        }
        String owner = paths.endpointOwner(EndpointController.namespaceId(), "orders");
        CuratorFramework zkc = clients.getFirst();
        await().atMost(Duration.ofSeconds(10)).until(() -> zkc.getChildren().forPath(owner).size() == 3);

        controllers.get(0).close();
        EndpointController.removeLatch(clients.get(0), paths, "orders");

        assertThat(zkc.getChildren().forPath(owner)).as("the candidates of az-b and az-c, whose latches still run")
                .hasSize(2);
        controllers.get(1).close();
        EndpointController.removeLatch(clients.get(1), paths, "orders");
        assertThat(zkc.getChildren().forPath(owner)).hasSize(1);

        controllers.get(2).close();
        EndpointController.removeLatch(clients.get(2), paths, "orders");
        assertThat(zkc.checkExists().forPath(EndpointController.latchParent(paths, "orders")))
                .as("the election of the deleted cluster, removed by the last agent").isNull();
        assertThatCode(() -> EndpointController.removeLatch(clients.get(0), paths, "orders"))
                .as("idempotent").doesNotThrowAnyException();
    }

    @Test
    void run_afterClose_dropsTheNoticeInsteadOfThrowing() throws Exception {
        CuratorFramework client = client();
        EndpointController c = controller(client, "az-a");
        c.start();
        String owner = paths.endpointOwner(EndpointController.namespaceId(), "orders");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.checkExists().forPath(owner) != null
                && client.getChildren().forPath(owner).size() == 1);
        c.close();
        AtomicInteger ran = new AtomicInteger();

        assertThatCode(() -> c.run(ran::incrementAndGet)).doesNotThrowAnyException();
        assertThat(ran).hasValue(0);
    }

    private EndpointController controller(CuratorFramework client, String az) throws Exception {
        // the controller re-reads the policy when the file's time changes; at the epoch it never reads it
        Path layoutFile = dir.resolve("multiaz.yaml");
        Files.writeString(layoutFile, "");
        Files.setLastModifiedTime(layoutFile, FileTime.fromMillis(0));
        EndpointLayout layout = new EndpointLayout("127.77.251.0/24", 5432, "netty", Duration.ofSeconds(1), 0,
                true, List.of());
        EndpointController c = new EndpointController(client, paths, store, "orders", layout, layoutFile,
                "multiaz_test", new InetSocketAddress("127.0.0.1", 0), az);
        open.add(c);
        return c;
    }

    private CuratorFramework client() throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(zk.getConnectString(), 5000, 2000,
                new RetryNTimes(3, 100));
        client.start();
        open.add(client);
        assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return client;
    }
}
