package io.multiaz.agent.rds;

import io.multiaz.api.ApiException;
import io.multiaz.api.RdsFault;
import io.multiaz.config.OperatorToken;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.MemberState;
import io.multiaz.store.ClusterStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.multiaz.api.StoreCalls.stored;

/**
 * RebootDBInstance's way to an instance: asks the agent that runs it (at the health URL its member
 * record publishes) to restart its server cleanly, and waits for the answer at most 5 seconds.
 * Called on the API server's threads; thread-safe.
 */
final class InstanceRestarts {
    private final ClusterStore store;
    private final OperatorToken token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code token}: the operator token the agents' restart route asks for; null in a layout older than tokens. */
    InstanceRestarts(ClusterStore store, OperatorToken token) {
        this.store = store;
        this.token = token;
    }

    /** Restarts the server of {@code instance} of {@code cluster}; an {@link ApiException} says why not. */
    void reboot(String cluster, String instance) {
        ClusterSnapshot s = stored(() -> store.read(cluster));
        MemberState m = s.members().get(instance);
        if (m == null || m.healthUrl() == null) {
            throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "The agent of DB instance " + instance
                    + " does not answer, so it cannot restart it; bring its zone back and try again.");
        }
        URI uri = URI.create(m.healthUrl() + "/instances/" + instance + "/restart");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody());
            if (token != null) { // else (a layout older than tokens) the agent refuses, saying why
                request.header(OperatorToken.HEADER, token.bearer());
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "The agent of " + instance
                        + " refused the restart (" + r.statusCode() + " " + r.body() + ").");
            }
        } catch (java.io.IOException e) {
            throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "The agent of DB instance " + instance
                    + " at " + m.healthUrl() + " did not answer (" + e.getMessage() + "); try again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(RdsFault.SERVICE_UNAVAILABLE, "Interrupted; try again.");
        }
    }
}
