package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.config.EndpointLayout;
import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The endpoints end to end, with real agents, PostgreSQL servers and kernel rules (or the Netty
 * fallback): the writer endpoint writes and follows a switchover and a failover, the reader
 * endpoint spreads over the readers and skips a stopped one, CIDR rules refuse, a switchover
 * costs no connection attempt, and {@code down} leaves no rule. One subclass per data path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EndpointsITBase {
    private final String dataPath;
    private final int basePort;
    private Path stateDir;

    EndpointsITBase(String dataPath, int basePort) {
        this.dataPath = dataPath;
        this.basePort = basePort;
    }

    @AfterAll
    void destroy() {
        if (stateDir != null) {
            assertThat(Cli.run("destroy", "--state-dir", stateDir.toString()).exit()).isZero();
        }
    }

    private JsonNode status() throws Exception {
        return Cli.status(stateDir);
    }

    private String endpoint(String name) throws Exception {
        return status().get("endpoints").get(name).asText();
    }

    private JsonNode writer() throws Exception {
        JsonNode s = status();
        return Cli.member(s, s.get("leader").asText());
    }

    /** The port of the server a new connection to {@code uri} reaches, and whether it is in recovery. */
    private static int serverPort(String uri) throws SQLException {
        try (Connection c = Cli.connect(uri); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean writable(String uri) {
        try (Connection c = Cli.connect(uri); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void insert(String uri, String value) throws SQLException {
        try (Connection c = Cli.connect(uri); Statement st = c.createStatement()) {
            st.execute("INSERT INTO endpoint_test(v) VALUES ('" + value + "')");
        }
    }

    private void heal() {
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "180s");
        assertThat(r.exit()).as("heal with up: %s", r.err()).isZero();
    }

    @Test
    @Order(1)
    void up_printsTheEndpoints_andTheWriterEndpointTakesWrites() throws Exception {
        stateDir = Cli.stateDir("state");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", Integer.toString(basePort),
                "--data-path", dataPath, "--timeout", "240s");
        assertThat(r.exit()).as("up: %s", r.err()).isZero();
        assertThat(r.out()).contains("endpoints (psql -h <address>", "writer   postgresql://");
        await().atMost(Duration.ofSeconds(20)).until(() -> dataPath.equals(
                status().get("endpoints").path("dataPath").asText()));
        String writerUri = endpoint("writer");
        assertThat(URI.create(writerUri).getPort()).as("port 5432 is implied, as psql -h needs").isEqualTo(-1);

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> writable(writerUri));
        try (Connection c = Cli.connect(writerUri); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE endpoint_test(id bigserial PRIMARY KEY, v text)");
        }
        insert(writerUri, "through the writer endpoint");
        assertThat(serverPort(writerUri)).isEqualTo(writer().get("port").asInt());
        // instance endpoints reach their own instance
        JsonNode s = status();
        for (JsonNode m : s.get("members")) {
            String uri = s.get("endpoints").get("instances").get(m.get("name").asText()).asText();
            assertThat(serverPort(uri)).isEqualTo(m.get("port").asInt());
        }
        assertThat(status().get("endpoints").get("counters").get("writer").get("accepted").asLong()).isPositive();
    }

    @Test
    @Order(2)
    void readerEndpoint_spreadsOverBothReaders_andSkipsAStoppedOne() throws Exception {
        String readerUri = endpoint("reader");
        List<JsonNode> readers = readers();
        assertThat(readers).hasSize(2);
        Set<Integer> expected = Set.of(readers.get(0).get("port").asInt(), readers.get(1).get("port").asInt());
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                seen.add(serverPort(readerUri));
            }
            return seen.equals(expected);
        });

        JsonNode victim = readers.get(0);
        int survivor = readers.get(1).get("port").asInt();
        Cli.signal(victim.get("agentPid").asLong(), "KILL");
        Cli.signal(victim.get("serverPid").asLong(), "KILL");
        try {
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
                for (int i = 0; i < 6; i++) {
                    if (serverPort(readerUri) != survivor) {
                        return false;
                    }
                }
                return true;
            });
        } finally {
            heal();
        }
    }

    private List<JsonNode> readers() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        status().get("members").forEach(m -> {
            if (m.get("role").asText().equals("reader")) {
                out.add(m);
            }
        });
        return out;
    }

    @Test
    @Order(3)
    void cidrRules_refuseClientsOutsideTheAllowedNetworks_andCountThem() throws Exception {
        String writerUri = endpoint("writer");
        Path file = new Layout.Paths(stateDir).layoutFile();
        Layout layout = LayoutFile.read(file);
        EndpointLayout e = layout.endpoints();
        LayoutFile.write(file, withCidrs(layout, List.of("10.0.0.0/8")));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    serverPort(writerUri);
                    return false;
                } catch (SQLException refused) {
                    return true;
                }
            });
            assertThat(status().get("endpoints").get("counters").get("writer").get("refused").asLong()).isPositive();
        } finally {
            LayoutFile.write(file, withCidrs(layout, e.allowedCidrs()));
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> writable(writerUri));
    }

    private static Layout withCidrs(Layout l, List<String> cidrs) {
        EndpointLayout e = l.endpoints();
        return new Layout(l.basePort(), l.pgBinDir(), l.runAs(), l.tick(), l.sessionTimeout(), l.zones(), l.demo(),
                new EndpointLayout(e.network(), e.port(), e.dataPath(), e.holdTimeout(), e.readerMaxLagBytes(),
                        e.readerFallbackToWriter(), cidrs), l.api(), l.topology(), l.operatorToken(), l.backups());
    }

    @Test
    @Order(4)
    void switchover_noFailedConnectionAttempt_andConnectionsToTheOldWriterAreClosed() throws Exception {
        String writerUri = endpoint("writer");
        int oldPort = writer().get("port").asInt();
        Connection old = Cli.connect(writerUri);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread client = new Thread(() -> {
            while (running.get()) {
                attempts.incrementAndGet();
                try {
                    insert(writerUri, "during switchover");
                } catch (SQLException e) {
                    failures.add(e.getMessage());
                }
            }
        }, "endpoint-client");
        client.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() > 20);
            Cli.Result r = Cli.run("switchover", "--state-dir", stateDir.toString());
            assertThat(r.exit()).as("switchover: %s", r.err()).isZero();
            int before = attempts.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() > before + 20);
        } finally {
            running.set(false);
            client.join(10_000);
        }
        System.out.printf("%s switchover: %d connection attempts, %d failed: %s%n", getClass().getSimpleName(),
                attempts.get(), failures.size(), failures);
        assertThat(failures).as("failed connection attempts across the switchover").isEmpty();
        int newPort = serverPort(writerUri);
        assertThat(newPort).isNotEqualTo(oldPort).isEqualTo(writer().get("port").asInt());
        assertThatThrownBy(() -> {
            try (Statement st = old.createStatement()) {
                st.execute("SELECT 1");
            }
        }).as("a connection to the old writer through the endpoint").isInstanceOf(SQLException.class);
        old.close();
    }

    @Test
    @Order(5)
    void failover_theWriterEndpointFollowsTheNewWriter() throws Exception {
        String writerUri = endpoint("writer");
        JsonNode w = writer();
        long started = System.nanoTime();
        Cli.signal(w.get("agentPid").asLong(), "KILL");
        Cli.signal(w.get("serverPid").asLong(), "KILL");
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> writable(writerUri));
            System.out.printf("%s failover: writer endpoint writable again after %d ms%n", getClass().getSimpleName(),
                    (System.nanoTime() - started) / 1_000_000);
            assertThat(serverPort(writerUri)).isNotEqualTo(w.get("port").asInt());
            insert(writerUri, "after failover");
        } finally {
            heal();
        }
    }

    @Test
    @Order(6)
    void down_leavesNoRuleAndNoListener() throws Exception {
        String writerUri = endpoint("writer");
        URI u = URI.create(writerUri);
        assertThat(Cli.run("down", "--state-dir", stateDir.toString()).exit()).isZero();
        assertThat(io.multiaz.endpoint.Nft.exists(io.multiaz.endpoint.Nft.tableName(stateDir))).isFalse();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(u.getHost(), 5432), 1000))
                .as("nothing answers on the writer endpoint after down").isInstanceOf(java.io.IOException.class);
    }
}
