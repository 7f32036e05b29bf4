package io.multiaz.store;

import io.multiaz.model.ParameterGroup;
import io.multiaz.model.SubnetGroup;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.multiaz.store.ClusterStoreContract.CLUSTER;
import static io.multiaz.store.ZooKeeperSessions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The repositories of {@link RdsRecords#onZooKeeper} on an in-process ZooKeeper, plus what only they
 * show: the znodes and JSON earlier versions wrote are read and written as they were.
 */
final class ZkRecordsTest implements RecordsContract {
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
    public RdsRecords records() {
        return sessions.newRecords();
    }

    @Test
    void get_recordsAsEarlierVersionsWroteThem_areRead() throws Exception {
        RdsRecords records = records();
        CuratorFramework client = sessions.clientOf(records);
        write(client, paths.subnetGroup("web"), "{\"name\":\"web\",\"description\":\"w\",\"subnets\":[{\"id\":"
                + "\"subnet-1\",\"availabilityZone\":\"az-a\"}],\"createdAt\":\"2025-01-02T03:04:05Z\"}");
        write(client, paths.parameterGroup("tuned"), "{\"name\":\"tuned\",\"family\":\"postgres15\",\"description\":"
                + "\"t\",\"parameters\":{\"work_mem\":{\"value\":\"8192\",\"applyMethod\":\"PENDING_REBOOT\"}},"
                + "\"createdAt\":\"2025-01-02T03:04:05Z\"}");
        write(client, paths.tags(CLUSTER, "db:db-1"), "{\"tags\":{\"team\":\"db\",\"env\":\"prod\"}}");

        assertThat(records.subnetGroups().list()).containsExactly(new SubnetGroup("web", "w",
                List.of(new SubnetGroup.Subnet("subnet-1", "az-a")), Instant.parse("2025-01-02T03:04:05Z")));
        assertThat(records.parameterGroups().get("tuned").orElseThrow().parameters()).containsExactly(entry(
                "work_mem", new ParameterGroup.Setting("8192", ParameterGroup.ApplyMethod.PENDING_REBOOT)));
        assertThat(records.tags().get(CLUSTER, "db:db-1")).containsExactly(entry("team", "db"), entry("env", "prod"));
    }

    @Test
    void update_tags_storedAsOneJsonZnodePerResourceUnderTheCluster() throws Exception {
        RdsRecords records = records();

        records.tags().update(CLUSTER, "cluster", t -> Map.of("env", "prod"));

        CuratorFramework client = sessions.clientOf(records);
        assertThat(json(client, paths.tags(CLUSTER, "cluster"))).isEqualTo("{\"tags\":{\"env\":\"prod\"}}");
        assertThat(client.getChildren().forPath(paths.tags(CLUSTER))).containsExactly("cluster");
    }

    @Test
    void update_equalRecord_leavesTheZnodeVersion() throws Exception {
        RdsRecords records = records();
        SubnetGroup group = new SubnetGroup("web", "w", List.of(new SubnetGroup.Subnet("subnet-1", "az-a")),
                Instant.parse("2025-01-02T03:04:05Z"));
        records.subnetGroups().create("web", group);

        records.subnetGroups().update("web", g -> new SubnetGroup("web", "w", g.subnets(), g.createdAt()));
        records.tags().update(CLUSTER, "cluster", t -> Map.of("env", "prod"));
        records.tags().update(CLUSTER, "cluster", t -> Map.of("env", "prod"));

        CuratorFramework client = sessions.clientOf(records);
        assertThat(client.checkExists().forPath(paths.subnetGroup("web")).getVersion()).isZero();
        assertThat(client.checkExists().forPath(paths.tags(CLUSTER, "cluster")).getVersion()).isZero();
    }

    @Test
    void get_unreadableRecord_throwsNamingThePath() throws Exception {
        RdsRecords records = records();
        write(sessions.clientOf(records), paths.subnetGroup("web"), "not json");

        assertThatThrownBy(() -> records.subnetGroups().get("web"))
                .isInstanceOf(StoreException.class).hasMessageContaining(paths.subnetGroup("web"));
    }

    private static void write(CuratorFramework client, String path, String json) throws Exception {
        client.create().creatingParentsIfNeeded().forPath(path, json.getBytes(StandardCharsets.UTF_8));
    }
}
