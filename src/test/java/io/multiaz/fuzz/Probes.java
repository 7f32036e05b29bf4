package io.multiaz.fuzz;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the fuzzer watches of the deployment besides the answers: its store (dumped under
 * {@code storeRoot}), its agents' logs, its PostgreSQL servers' logs, and the agent log lines of
 * open findings ({@code knownAgentProblems}), which are reported as notices instead of violations
 * until they are fixed (each names its finding in docs/RELIABILITY.md).
 */
public record Probes(StoreDump store, String storeRoot, LogWatch agentLogs, LogWatch serverLogs,
                     List<Pattern> knownAgentProblems) {
    public Probes {
        knownAgentProblems = List.copyOf(knownAgentProblems);
    }

    boolean known(String line) {
        return knownAgentProblems.stream().anyMatch(p -> p.matcher(line).find());
    }
}
