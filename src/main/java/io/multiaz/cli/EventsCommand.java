package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.config.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code multiaz events [--cluster NAME]}: role changes, failovers, switchovers, rejoins and refusals,
 * oldest first.
 */
@Command(name = "events", description = "List recent cluster events (role changes, failovers, rejoins, refusals).")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Mixin
    ClusterOption cluster;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "How many (1-1000, default 50).")
    int limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 1000) {
            throw new UserError("--limit must be between 1 and 1000, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        Layout layout = stateDir.site().layout();
        AgentClient agents = new AgentClient(layout);
        JsonNode events = agents.send("GET", "/events?cluster=" + AgentClient.encode(cluster.resolve(agents, layout))
                + "&limit=" + limit);
        if (json) {
            out.println(events.toPrettyString());
            return 0;
        }
        int instance = Columns.width(10, java.util.stream.StreamSupport.stream(events.spliterator(), false)
                .map(e -> e.path("instance").asText("-")));
        String fmt = "%-24s %-" + instance + "s %-20s %s%n";
        out.printf(fmt, "TIME", "INSTANCE", "TYPE", "MESSAGE");
        for (JsonNode e : events) {
            out.printf(fmt, Times.millis(e.path("at").asText()), e.path("instance").asText("-"), e.path("type").asText(),
                    e.path("message").asText());
        }
        return 0;
    }
}
