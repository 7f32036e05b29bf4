package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.config.Layout;
import io.multiaz.endpoint.Nft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The netns topology (issue 7): each zone in a network namespace of its own, clients in the root
 * namespace reaching the cluster through the endpoints of the root namespace's endpoints agent
 * (nftables DNAT across the bridge). Needs root; skipped otherwise.
 */
final class NetnsClusterIT {
    private static final int BASE = 28700;
    private static Path stateDir;

    @AfterAll
    static void destroy() {
        if (stateDir != null && Files.exists(stateDir)) {
            Cli.run("destroy", "--state-dir", stateDir.toString());
        }
    }

    @Test
    void netnsTopology_endpointsFromTheRootNamespace_followAKilledWritersFailover_destroyLeavesNothing() throws Exception {
        Assumptions.assumeTrue(NetnsTopology.unavailableReason() == null, "needs root and iproute2");
        stateDir = Cli.stateDir("state");
        Cli.Result up = Cli.run("up", "--topology", "netns", "--state-dir", stateDir.toString(), "--base-port",
                Integer.toString(BASE), "--timeout", "240s");
        assertThat(up.exit()).as("up: %s %s", up.out(), up.err()).isZero();

        JsonNode s = Cli.status(stateDir);
        assertThat(s.get("topology").asText()).isEqualTo("netns");
        String bridge = s.get("bridge").asText();
        List<String> namespaces = new ArrayList<>();
        s.get("namespaces").elements().forEachRemaining(n -> namespaces.add(n.asText()));
        assertThat(namespaces).hasSize(3).allSatisfy(ns -> assertThat(Path.of("/run/netns", ns)).exists());
        assertThat(Path.of("/sys/class/net", bridge)).exists();

        // every zone answers on its own address, from the root namespace across the bridge
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < 3; i++) {
            String host = "198.18.54.1" + (i + 1);
            int zone = BASE + 10 * i;
            assertThat(Cli.member(s, "demo-" + (i + 1)).get("host").asText()).isEqualTo(host);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + (zone + 1)
                    + "/cluster")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("agent HTTP of zone %d", i).isEqualTo(200);
            assertThat(Cli.zooKeeperMode(host, zone + 2)).as("ZooKeeper peer of zone %d", i).isIn("leader", "follower");
        }
        assertThat(s.get("api").get("url").asText()).startsWith("http://198.18.54.1");

        String writerUri = s.get("endpoints").get("writer").asText();
        String readerUri = s.get("endpoints").get("reader").asText();
        assertThat(URI.create(writerUri).getHost()).isEqualTo("127.77.54.1");
        try (Connection c = Cli.connect(writerUri); Statement st = c.createStatement()) {
            st.execute("create table netns_it (id int primary key, note text)");
            st.execute("insert into netns_it values (1, 'before the kill')");
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Connection c = Cli.connect(readerUri); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select pg_is_in_recovery(), (select count(*) from netns_it)")) {
                return rs.next() && rs.getBoolean(1) && rs.getLong(2) == 1;
            }
        });

        // a switchover holds new connections on the endpoints agent's hold listener (127.0.0.1:base+7)
        // and releases them to the new writer across the bridge
        Cli.Result switchover = Cli.run("switchover", "--state-dir", stateDir.toString());
        assertThat(switchover.exit()).as("switchover: %s %s", switchover.out(), switchover.err()).isZero();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Connection c = Cli.connect(writerUri); Statement st = c.createStatement()) {
                return st.executeUpdate("insert into netns_it values (3, 'after the switchover')") == 1;
            }
        });
        // two endpoints agents run in the root namespace: kill the one owning the endpoints, and the
        // other takes them over, so the kill of the writer below is still followed
        String owner = s.get("endpoints").get("owner").asText();
        assertThat(owner).isIn(Layout.ENDPOINTS_AGENTS);
        long ownerPid = Long.parseLong(Files.readString(new Layout.Paths(stateDir).agentPidFile(owner)).strip());
        Cli.signal(ownerPid, "KILL");
        long ownerKilled = System.nanoTime();
        String other = Layout.ENDPOINTS_AGENTS.stream().filter(a -> !a.equals(owner)).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                other.equals(Cli.status(stateDir).get("endpoints").get("owner").asText()));
        System.out.printf("NetnsClusterIT: the other endpoints agent owned the endpoints %d ms after the owner's kill%n",
                Duration.ofNanos(System.nanoTime() - ownerKilled).toMillis());
        s = Cli.status(stateDir);
        String leader = s.get("leader").asText();
        JsonNode writer = Cli.member(s, leader);
        long agentPid = writer.get("agentPid").asLong();
        assertThat(cmdline(agentPid)).as("the recorded pid is the java agent, not ip").contains("java")
                .contains("-Dmultiaz.agent=" + writer.get("az").asText()).doesNotStartWith("ip ");
        assertThat(netns(agentPid)).as("the writer's agent runs in its zone's namespace")
                .isNotEqualTo(netns(ProcessHandle.current().pid()));

        Cli.signal(agentPid, "KILL");
        long killed = System.nanoTime();
        String oldHost = writer.get("host").asText();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            try (Connection c = Cli.connect(writerUri); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select pg_is_in_recovery(), host(inet_server_addr()), "
                         + "(select note from netns_it where id = 1)")) {
                return rs.next() && !rs.getBoolean(1) && !rs.getString(2).equals(oldHost)
                        && "before the kill".equals(rs.getString(3));
            }
        });
        System.out.printf("NetnsClusterIT: the writer endpoint reached a new writer %d ms after the kill%n",
                Duration.ofNanos(System.nanoTime() - killed).toMillis());
        try (Connection c = Cli.connect(writerUri); Statement st = c.createStatement()) {
            st.execute("insert into netns_it values (2, 'after the kill')");
        }

        Cli.Result down = Cli.run("down", "--state-dir", stateDir.toString());
        assertThat(down.exit()).as("down: %s %s", down.out(), down.err()).isZero();
        assertThat(Nft.exists(Nft.tableName(stateDir))).as("nft table after down").isFalse();
        assertThat(namespaces).as("down keeps the namespaces").allSatisfy(ns -> assertThat(Path.of("/run/netns", ns)).exists());

        Cli.Result destroy = Cli.run("destroy", "--state-dir", stateDir.toString());
        assertThat(destroy.exit()).as("destroy: %s %s", destroy.out(), destroy.err()).isZero();
        String hash = bridge.substring(4);
        assertThat(namespaces).allSatisfy(ns -> assertThat(Path.of("/run/netns", ns)).doesNotExist());
        try (var links = Files.list(Path.of("/sys/class/net"))) {
            assertThat(links.map(p -> p.getFileName().toString()).filter(n -> n.contains(hash)).toList())
                    .as("links of this state dir").isEmpty();
        }
        assertThat(Nft.exists(Nft.tableName(stateDir))).isFalse();
        assertThat(stateDir).doesNotExist();
    }

    private static String cmdline(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }

    private static String netns(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
    }
}
