package io.multiaz.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The tally of a fuzz run: per action and per mutation, the cases and how they were answered, the
 * codes seen, and every violation of the properties with what is needed to replay it (seed and
 * case number). Mutable; filled by one thread.
 */
public final class FuzzReport {
    /** The properties a case can break. */
    public enum Kind {
        SERVER_ERROR("answered 5xx"),
        NO_ANSWER("no HTTP answer"),
        UNEXPECTED_STATUS("answered neither 2xx nor 4xx"),
        NOT_AN_ERROR_DOCUMENT("4xx without an ErrorResponse code"),
        UNLISTED_CODE("4xx code neither the operation's nor a common one"),
        STATE_CHANGED("refused, yet the store changed"),
        AGENT_LOGGED("an agent logged an error or exception");

        private final String meaning;

        Kind(String meaning) {
            this.meaning = meaning;
        }
    }

    /** One broken property: which, in which case (replay with the run's seed and this number), and what was seen. */
    public record Violation(Kind kind, int caseNumber, String request, int status, String code, String detail) {
    }

    static final class Row {
        int cases;
        int ok;
        int refused;
        int serverErrors;
        int unsent;
        int violations;
        final Map<String, Integer> codes = new TreeMap<>();
    }

    private final String service;
    private final long seed;
    private final Map<String, Row> byAction = new TreeMap<>();
    private final Map<String, Row> byMutation = new TreeMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private int cases;
    private Duration elapsed = Duration.ZERO;
    private final Map<String, Long> nanosByStep = new TreeMap<>();
    private int largestDump;
    private int dumpsTaken;

    FuzzReport(String service, long seed) {
        this.service = service;
        this.seed = seed;
    }

    void count(String action, List<String> mutations, int status, String code) {
        cases++;
        count(byAction.computeIfAbsent(action, a -> new Row()), status, code);
        kinds(mutations).forEach(k -> count(byMutation.computeIfAbsent(k, x -> new Row()), status, code));
    }

    void violation(Violation v, String action, List<String> mutations) {
        violations.add(v);
        byAction.computeIfAbsent(action, a -> new Row()).violations++;
        kinds(mutations).forEach(k -> byMutation.computeIfAbsent(k, x -> new Row()).violations++);
    }

    private static List<String> kinds(List<String> mutations) {
        return mutations.isEmpty() ? List.of("(none)")
                : mutations.stream().map(m -> m.split("\\(", 2)[0]).distinct().toList();
    }

    /** Something worth a look that breaks no property, e.g. a setting PostgreSQL refused to reload. */
    void notice(String line) {
        notices.add(line);
    }

    public List<String> notices() {
        return List.copyOf(notices);
    }

    /** Adds {@code nanos} to the time spent in {@code step} (sending, dumping, settling, reading logs). */
    void spent(String step, long nanos) {
        nanosByStep.merge(step, nanos, Long::sum);
    }

    void dumped(int znodes, boolean fresh) {
        largestDump = Math.max(largestDump, znodes);
        dumpsTaken += fresh ? 1 : 0;
    }

    void finished(Duration took) {
        elapsed = took;
    }

    public int cases() {
        return cases;
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    public long count(Kind kind) {
        return violations.stream().filter(v -> v.kind() == kind).count();
    }

    public Duration elapsed() {
        return elapsed;
    }

    /** The run as markdown: a summary line, the table by action, the table by mutation, the violations (first 50). */
    public String table() {
        StringBuilder out = new StringBuilder();
        double rate = elapsed.toMillis() == 0 ? 0 : cases * 1000.0 / elapsed.toMillis();
        int serverErrors = byAction.values().stream().mapToInt(r -> r.serverErrors).sum();
        out.append(String.format("fuzz %s: %d cases, seed %d, %s (%.1f cases/s); %d server errors, %d state changes"
                        + " on refused requests, %d violations in all%n%n", service, cases, seed, elapsed, rate,
                serverErrors, count(Kind.STATE_CHANGED), violations.size()));
        out.append("time spent: ").append(nanosByStep.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() / 1_000_000_000 + " s").collect(Collectors.joining(", ")))
                .append("; ").append(dumpsTaken).append(" store dumps after cases, the largest ").append(largestDump)
                .append(" znodes\n\n");
        table(out, "action", byAction, true);
        out.append('\n');
        table(out, "mutation", byMutation, false);
        if (!notices.isEmpty()) {
            long known = notices.stream().filter(n -> n.contains("known finding")).count();
            long unsettled = notices.stream().filter(n -> n.contains("did not finish")).count();
            out.append("\nnotices: ").append(notices.size() - known - unsettled)
                    .append(" lines of settings PostgreSQL refused at reload, ").append(known)
                    .append(" problems of known findings in the agents' logs, ").append(unsettled)
                    .append(" times the agents' work did not end; the first 20:\n");
            notices.stream().limit(20).forEach(n -> out.append("- ").append(n).append('\n'));
        }
        if (!violations.isEmpty()) {
            out.append("\nviolations:\n");
            violations.stream().limit(50).forEach(v -> out.append(String.format("- case %d, %s (%s): %d %s — %s%n    %s%n",
                    v.caseNumber(), v.kind(), v.kind().meaning, v.status(), v.code(), v.detail(), v.request())));
        }
        return out.toString();
    }

    private static void table(StringBuilder out, String what, Map<String, Row> rows, boolean codes) {
        out.append("| ").append(what).append(" | cases | 2xx | 4xx | 5xx | unsent | violations |")
                .append(codes ? " 4xx codes |" : "").append('\n');
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |").append(codes ? " --- |" : "").append('\n');
        rows.forEach((name, r) -> {
            out.append(String.format("| %s | %d | %d | %d | %d | %d | %d |", name, r.cases, r.ok, r.refused,
                    r.serverErrors, r.unsent, r.violations));
            if (codes) {
                out.append(' ').append(r.codes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))).append(" |");
            }
            out.append('\n');
        });
    }

    private static void count(Row row, int status, String code) {
        row.cases++;
        if (status == 0) {
            row.unsent++;
        } else if (status >= 200 && status < 300) {
            row.ok++;
        } else if (status >= 400 && status < 500) {
            row.refused++;
            row.codes.merge(code == null ? "(none)" : code, 1, Integer::sum);
        } else if (status >= 500) {
            row.serverErrors++;
        }
    }
}
