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

/** {@code multiaz history [--cluster NAME]}: every change of writer with its epoch, timeline, LSN, time and reason. */
@Command(name = "history", description = "List the changes of writer: epoch, timeline, writer, LSN, time, reason.")
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Mixin
    ClusterOption cluster;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Layout layout = stateDir.site().layout();
        AgentClient agents = new AgentClient(layout);
        String name = cluster.resolve(agents, layout);
        JsonNode entries = agents.send("GET", "/history?cluster=" + AgentClient.encode(name));
        if (json) {
            out.println(entries.toPrettyString());
            return 0;
        }
        int writer = Columns.width(10, java.util.stream.StreamSupport.stream(entries.spliterator(), false)
                .flatMap(e -> java.util.stream.Stream.of(e.path("writer").asText(), e.path("previousWriter").asText("-"))));
        String fmt = "%-6s %-9s %-" + writer + "s %-" + writer + "s %-12s %-24s %s%n";
        out.printf(fmt, "EPOCH", "TIMELINE", "WRITER", "PREVIOUS", "LSN", "TIME", "REASON");
        for (JsonNode e : entries) {
            out.printf(fmt, e.path("epoch").asText(), e.path("timeline").asText(), e.path("writer").asText(),
                    e.path("previousWriter").asText("-"), e.path("lsn").asText(), Times.millis(e.path("at").asText()),
                    e.path("reason").asText());
        }
        return 0;
    }
}
