package io.multiaz.cli;

import io.multiaz.agent.ClusterReport;
import io.multiaz.config.Layout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads the cluster report from the first agent that answers. */
final class AgentClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Layout layout;

    AgentClient(Layout layout) {
        this.layout = layout;
    }

    /** The report of the first agent with one; empty when none answers. */
    Optional<ClusterReport> cluster() {
        for (ZoneLayout zone : layout.zones()) {
            Optional<ClusterReport> r = cluster(zone);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    Optional<ClusterReport> cluster(ZoneLayout zone) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(zone.healthUrl() + "/cluster"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(Json.mapper().readValue(resp.body(), ClusterReport.class));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
