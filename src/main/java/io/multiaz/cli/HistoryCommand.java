package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code multiaz history}: every change of writer with its epoch, timeline, LSN, time and reason. */
@Command(name = "history", description = "List the changes of writer: epoch, timeline, writer, LSN, time, reason.")
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode entries = new AgentClient(new LocalSite(stateDir.path()).layout()).send("GET", "/history");
        if (json) {
            out.println(entries.toPrettyString());
            return 0;
        }
        String fmt = "%-6s %-9s %-10s %-10s %-12s %-24s %s%n";
        out.printf(fmt, "EPOCH", "TIMELINE", "WRITER", "PREVIOUS", "LSN", "TIME", "REASON");
        for (JsonNode e : entries) {
            out.printf(fmt, e.path("epoch").asText(), e.path("timeline").asText(), e.path("writer").asText(),
                    e.path("previousWriter").asText("-"), e.path("lsn").asText(), Times.millis(e.path("at").asText()),
                    e.path("reason").asText());
        }
        return 0;
    }
}
