package io.multiaz.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.agent.ha.ClusterOperations;
import io.multiaz.agent.ha.InstanceSupervisor;
import io.multiaz.config.OperatorToken;
import io.multiaz.engine.InMemoryDatabaseEngine;
import io.multiaz.ha.HaPolicy;
import io.multiaz.json.Json;
import io.multiaz.model.ClusterOverview;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.InMemoryClusterStore;
import io.multiaz.store.InMemoryEnsemble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: an agent's HTTP API answers for every cluster of the deployment, not only the one it
 * supervises an instance of: {@code GET /clusters} lists them from the store, {@code GET /cluster},
 * the operator routes, {@code /events} and {@code /history} take {@code ?cluster=NAME} and act from
 * the store; an unknown name is 404 naming the clusters. This agent supervises demo-1 only.
 */
final class ClusterRoutesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    private static final ClusterSpec DEMO = new ClusterSpec("demo", "postgres", 0, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500)),
            Credentials.generate("dbadmin", new SecureRandom()), Map.of());
    private static final ClusterSpec ORDERS = new ClusterSpec("orders", "shop", 1, List.of(
            new InstanceSpec("orders-1", "az-b", "127.0.0.1", 6616), new InstanceSpec("orders-2", "az-c", "127.0.0.1",
                    6617)), Credentials.generate("owner", new SecureRandom()), Map.of());

    private final OperatorToken token = OperatorToken.generate(new SecureRandom());
    private final InMemoryEnsemble ensemble = new InMemoryEnsemble();
    private final InMemoryClusterStore store = new InMemoryClusterStore(ensemble);
    private final HttpClient http = HttpClient.newHttpClient();
    private HealthServer server;

    @BeforeEach
    void serve() {
        ensemble.clusters().create(DEMO);
        ensemble.clusters().create(ORDERS);
        InstanceSupervisor supervisor = new InstanceSupervisor(DEMO, "demo-1",
                new InMemoryDatabaseEngine("demo-1", new InMemoryDatabaseEngine.Network()), store, new HaPolicy(),
                CLOCK, "http://127.0.0.1:6501");
        supervisor.cycle();
        server = new HealthServer(() -> List.of(supervisor), new ClusterOperations(store, ensemble.clusters(), CLOCK),
                new OperatorAuth(() -> Optional.of(token), Path.of("/srv/multiaz/multiaz.yaml"))).start("127.0.0.1", 0);
        server.endpointHosts(spec -> new ClusterOverview.EndpointHosts("10.0.0.1", "10.0.0.2",
                Map.of(spec.instances().getFirst().name(), "10.0.0.3"), 5432));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", token.bearer()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String method, String path, int status) throws Exception {
        HttpResponse<String> r = send(method, path);
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(status);
        return Json.mapper().readTree(r.body());
    }

    @Test
    void clusters_listsEveryClusterOfTheStore_withEndpointsAndNoSecret() throws Exception {
        HttpResponse<String> r = send("GET", "/clusters");
        assertThat(r.statusCode()).isEqualTo(200);
        List<ClusterOverview> all = List.of(Json.mapper().readValue(r.body(), ClusterOverview[].class));
        assertThat(all).extracting(o -> o.report().cluster()).containsExactly("demo", "orders");
        ClusterOverview orders = all.get(1);
        assertThat(orders.report().members()).extracting(m -> m.name()).containsExactly("orders-1", "orders-2");
        assertThat(orders.endpoints().writer()).isEqualTo("10.0.0.1");
        assertThat(orders.masterUser()).isEqualTo("owner");
        assertThat(orders.database()).isEqualTo("shop");
        assertThat(r.body()).doesNotContain(ORDERS.credentials().masterPassword())
                .doesNotContain(DEMO.credentials().masterPassword());
    }

    @Test
    void cluster_namedWithNoInstanceHere_answersFromTheStore() throws Exception {
        assertThat(json("GET", "/cluster?cluster=orders", 200).get("cluster").asText()).isEqualTo("orders");
        assertThat(json("GET", "/cluster?cluster=demo", 200).get("cluster").asText()).isEqualTo("demo");
        assertThat(json("GET", "/cluster?cluster=nosuch", 404).get("error").asText())
                .contains("no cluster nosuch").contains("demo, orders");
    }

    @Test
    void pauseAndResume_namedCluster_actOnItAlone() throws Exception {
        json("POST", "/pause?cluster=orders", 202);
        assertThat(store.read("orders").paused()).isTrue();
        assertThat(store.read("demo").paused()).isFalse();
        assertThat(json("GET", "/events?cluster=orders", 200).findValuesAsText("type")).contains("paused");
        assertThat(json("GET", "/cluster?cluster=orders", 200).get("paused").asBoolean()).isTrue();
        json("POST", "/resume?cluster=orders", 202);
        assertThat(store.read("orders").paused()).isFalse();
    }

    @Test
    void operatorRoutes_unknownCluster_404NamingTheClusters_nothingWritten() throws Exception {
        for (String path : List.of("/pause", "/resume", "/switchover", "/failover")) {
            assertThat(json("POST", path + "?cluster=nosuch", 404).get("error").asText()).as(path)
                    .isEqualTo("there is no cluster nosuch in this deployment; clusters: demo, orders");
        }
        assertThat(send("GET", "/events?cluster=nosuch").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/history?cluster=nosuch").statusCode()).isEqualTo(404);
        assertThat(store.read("nosuch").paused()).isFalse();
    }

    @Test
    void switchover_namedClusterWithoutWriter_refusedFromTheStoreState() throws Exception {
        assertThat(json("POST", "/switchover?cluster=orders", 409).get("error").asText())
                .contains("no writer holds the lease");
        assertThat(json("GET", "/history?cluster=orders", 200)).isEmpty();
    }
}
