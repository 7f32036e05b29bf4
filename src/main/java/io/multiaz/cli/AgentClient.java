package io.multiaz.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.model.ClusterOverview;
import io.multiaz.model.ClusterReport;
import io.multiaz.config.Layout;
import io.multiaz.config.OperatorToken;
import io.multiaz.config.ZoneLayout;
import io.multiaz.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Talks to the agents' HTTP API: the first agent that answers serves each call. The operator calls
 * ({@link #send}) carry the layout's operator token; the reads that need none do not.
 */
final class AgentClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Layout layout;

    AgentClient(Layout layout) {
        this.layout = layout;
    }

    /**
     * The report of cluster {@code name} from the first agent with one (an agent running an instance
     * of it adds its own state as just published); empty when none answers.
     */
    Optional<ClusterReport> cluster(String name) {
        return first("/cluster?cluster=" + encode(name), new TypeReference<>() { });
    }

    /** Every cluster of the deployment as the store has it, from the first agent that can read it; empty when none. */
    Optional<List<ClusterOverview>> clusters() {
        return first("/clusters", new TypeReference<>() { });
    }

    private <T> Optional<T> first(String path, TypeReference<T> type) {
        for (ZoneLayout zone : layout.zones()) {
            Optional<String> body = call(zone, "GET", path).filter(r -> r.statusCode() == 200)
                    .map(HttpResponse::body);
            if (body.isPresent()) {
                try {
                    return Optional.of(Json.mapper().readValue(body.get(), type));
                } catch (IOException e) {
                    // an agent of another version answered oddly: ask the next one
                }
            }
        }
        return Optional.empty();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The backup status of {@code cluster} ({@code /backups}) from the first agent that has one; empty before any. */
    Optional<JsonNode> backups(String cluster) {
        return firstDocument(layout.zones().stream().map(ZoneLayout::healthUrl).toList(),
                "/backups?cluster=" + encode(cluster), n -> n.has("stanza"));
    }

    /**
     * The {@code /endpoints} document of the owner of cluster {@code cluster}'s endpoints; empty when
     * no agent owns them (yet). In the netns topology the owner is one of the endpoints agents of the
     * root namespace.
     */
    Optional<JsonNode> endpoints(String cluster) {
        java.util.List<String> urls = layout.topology().isNetns()
                ? Layout.ENDPOINTS_AGENTS.stream().map(layout::endpointsAgentUrl).toList()
                : layout.zones().stream().map(ZoneLayout::healthUrl).toList();
        return firstDocument(urls, "/endpoints?cluster=" + encode(cluster), n -> n.path("owner").asBoolean());
    }

    /** The first JSON document {@code path} answers with 200 among the agents at {@code urls} that {@code wanted} accepts. */
    private Optional<JsonNode> firstDocument(java.util.List<String> urls, String path,
                                             java.util.function.Predicate<JsonNode> wanted) {
        for (String url : urls) {
            Optional<String> body = get(url + path).filter(r -> r.statusCode() == 200).map(HttpResponse::body);
            try {
                if (body.isPresent()) {
                    JsonNode n = Json.mapper().readTree(body.get());
                    if (wanted.test(n)) {
                        return Optional.of(n);
                    }
                }
            } catch (IOException e) {
                // ask the next agent
            }
        }
        return Optional.empty();
    }

    /**
     * Sends {@code method path} with the operator token to the first agent that answers other than
     * 503 and returns the JSON body; a 4xx answer becomes a {@link UserError} with the agent's message
     * (a 401 says where the token lives).
     */
    JsonNode send(String method, String path) {
        for (ZoneLayout zone : layout.zones()) {
            Optional<HttpResponse<String>> r = exchange(zone.healthUrl() + path, method,
                    Optional.ofNullable(layout.operatorToken()));
            if (r.isEmpty() || r.get().statusCode() == 503) {
                continue;
            }
            JsonNode body;
            try {
                body = Json.mapper().readTree(r.get().body());
            } catch (IOException e) {
                throw new UserError("agent " + zone.az() + " answered " + r.get().statusCode() + " with no JSON; see "
                        + "its log");
            }
            if (r.get().statusCode() >= 400) {
                throw new UserError(body.path("error").asText("agent " + zone.az() + " refused: "
                        + r.get().statusCode()));
            }
            return body;
        }
        throw new UserError("no agent answers; start them with ./multiaz up");
    }

    /**
     * The RDS API URL of the first agent whose API answers at all (an unsigned probe gets an
     * {@code ErrorResponse}, which is an answer); empty when none does.
     */
    Optional<String> apiUrl() {
        for (ZoneLayout zone : layout.zones()) {
            if (get(zone.apiUrl() + "/").filter(r -> r.headers().firstValue("x-amzn-RequestId").isPresent()).isPresent()) {
                return Optional.of(zone.apiUrl());
            }
        }
        return Optional.empty();
    }

    private Optional<HttpResponse<String>> call(ZoneLayout zone, String method, String path) {
        return exchange(zone.healthUrl() + path, method, Optional.empty());
    }

    private Optional<HttpResponse<String>> get(String url) {
        return exchange(url, "GET", Optional.empty());
    }

    private Optional<HttpResponse<String>> exchange(String url, String method, Optional<OperatorToken> token) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(3)).method(method, HttpRequest.BodyPublishers.noBody());
        token.ifPresent(t -> req.header(OperatorToken.HEADER, t.bearer()));
        try {
            return Optional.of(http.send(req.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
