package io.multiaz.agent.http;

import io.multiaz.agent.ha.ClusterOperations;
import io.multiaz.agent.ha.InstanceSupervisor;
import io.multiaz.config.OperatorToken;
import io.multiaz.engine.InMemoryDatabaseEngine;
import io.multiaz.ha.HaPolicy;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.InMemoryClusterStore;
import io.multiaz.store.InMemoryEnsemble;
import org.junit.jupiter.api.AfterEach;
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
 * Issue 12, security: the agent's HTTP API on an ephemeral port, over one supervised instance of the
 * in-memory store and engine. The routes that change something answer 401 without the operator
 * token or with a wrong one, and run with it; HAProxy's checks and the reads need none.
 */
final class OperatorAuthTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    private static final ClusterSpec SPEC = new ClusterSpec("demo", "postgres", 0, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500)),
            Credentials.generate("dbadmin", new SecureRandom()), Map.of());
    private static final Path LAYOUT_FILE = Path.of("/srv/multiaz/multiaz.yaml");

    private final OperatorToken token = OperatorToken.generate(new SecureRandom());
    private final InMemoryEnsemble ensemble = new InMemoryEnsemble();
    private final InMemoryClusterStore store = new InMemoryClusterStore(ensemble);
    private final HttpClient http = HttpClient.newHttpClient();
    private HealthServer server;

    private OperatorAuthTest() {
        ensemble.clusters().create(SPEC);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Serves one instance, observed once, with {@code token} as the deployment's token (none when empty). */
    private void serve(Optional<OperatorToken> deploymentToken) {
        InstanceSupervisor supervisor = new InstanceSupervisor(SPEC, "demo-1",
                new InMemoryDatabaseEngine("demo-1", new InMemoryDatabaseEngine.Network()), store, new HaPolicy(),
                CLOCK, "http://127.0.0.1:6501");
        supervisor.cycle();
        server = new HealthServer(() -> List.of(supervisor), new ClusterOperations(store, ensemble.clusters(), CLOCK),
                new OperatorAuth(() -> deploymentToken, LAYOUT_FILE)).start("127.0.0.1", 0);
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void post_noAuthorization_401SayingWhereTheTokenIs() throws Exception {
        serve(Optional.of(token));
        for (String path : List.of("/switchover", "/failover?force=true", "/pause", "/resume",
                "/instances/demo-1/restart")) {
            HttpResponse<String> r = send("POST", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.body()).as(path).contains("operator token").contains(LAYOUT_FILE.toString());
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer realm=\"multiaz\"");
        }
        assertThat(store.read("demo").paused()).isFalse();
    }

    @Test
    void post_wrongToken_401AndNothingChanges() throws Exception {
        serve(Optional.of(token));
        String wrong = OperatorToken.generate(new SecureRandom()).bearer();
        assertThat(send("POST", "/pause", wrong).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/pause", token.value()).statusCode()).as("no Bearer scheme").isEqualTo(401);
        assertThat(send("POST", "/pause", "Bearer " + token.value().substring(1)).statusCode()).isEqualTo(401);
        assertThat(store.read("demo").paused()).isFalse();
    }

    @Test
    void post_rightToken_theRouteRuns() throws Exception {
        serve(Optional.of(token));
        HttpResponse<String> paused = send("POST", "/pause", token.bearer());
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
        assertThat(store.read("demo").paused()).isTrue();

        HttpResponse<String> restart = send("POST", "/instances/demo-9/restart", token.bearer());
        assertThat(restart.statusCode()).as("the restart route itself answers").isEqualTo(404);
        assertThat(restart.body()).contains("runs no instance demo-9");
    }

    @Test
    void get_healthChecksAndReads_needNoToken() throws Exception {
        serve(Optional.of(token));
        for (String path : List.of("/primary", "/replica", "/health", "/read-only", "/cluster", "/endpoints",
                "/events", "/history", "/")) {
            assertThat(send("GET", path, null).statusCode()).as(path).isIn(200, 503);
        }
    }

    @Test
    void post_agentWithoutToken_refusesSayingRunUp() throws Exception {
        serve(Optional.empty());
        HttpResponse<String> r = send("POST", "/pause", token.bearer());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("no operator token").contains("multiaz up");
        assertThat(store.read("demo").paused()).isFalse();
    }

    @Test
    void unknownRoute_404NotAskedForAToken() throws Exception {
        serve(Optional.of(token));
        assertThat(send("POST", "/no-such-route", null).statusCode()).isEqualTo(404);
    }
}
