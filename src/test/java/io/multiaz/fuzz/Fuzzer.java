package io.multiaz.fuzz;

import io.multiaz.fuzz.FuzzReport.Kind;
import io.multiaz.fuzz.FuzzReport.Violation;
import io.multiaz.fuzz.SignedSender.Answer;
import io.multiaz.fuzz.StoreDump.Znode;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The fuzz loop over one {@link FuzzTarget} of a running deployment: the cases of a
 * {@link CaseGenerator} run one at a time, and after each the properties are checked:
 *
 * <ol>
 * <li>no 5xx, and always an HTTP answer;</li>
 * <li>a 4xx is an {@code ErrorResponse} whose code the operation declares in the model or is one of
 *     the target's common errors;</li>
 * <li>after a 4xx the store is as before, but for what the agents write on their own
 *     ({@link AgentWrites}): every znode under the root is dumped after each case (or, with
 *     {@link Dumps#ON_CHANGE}, after each case that saw a change), the dump before a case being the
 *     one after the last;</li>
 * <li>the agents logged no error and no exception since the last case ({@link LogWatch#agents}; a
 *     late line is reported with the case during which it appeared).</li>
 * </ol>
 * Settings the PostgreSQL servers refused when they reloaded ({@link LogWatch#servers}) are reported
 * as notices: values the API accepted that PostgreSQL's own checks refuse.
 * After a successful call that changes something, the loop waits until the agents have finished
 * what it left them (at most 30 s), so that their writes fall between cases. Not thread-safe.
 */
public final class Fuzzer {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** When the store is dumped after a case. */
    public enum Dumps {
        /** After every case: the plain check. */
        EVERY_CASE,
        /**
         * After a case during which the store's recursive watch saw a change other than the agents'
         * own records ({@link StoreDump#changedPaths}); the dump before stands for the one after
         * otherwise, as nothing it holds can have changed.
         */
        ON_CHANGE
    }

    private final FuzzTarget target;
    private final SignedSender sender;
    private final Probes probes;
    private final StoreDump store;
    private final AgentWrites agentWrites;
    private final Dumps dumps;
    private final CaseGenerator cases;
    private final Deque<String> recentChanges = new ArrayDeque<>();

    public Fuzzer(FuzzTarget target, SignedSender sender, Probes probes, Dumps dumps) {
        this.target = target;
        this.sender = sender;
        this.probes = probes;
        this.store = probes.store();
        this.agentWrites = new AgentWrites(probes.storeRoot());
        this.dumps = dumps;
        this.cases = new CaseGenerator(target);
    }

    /**
     * Runs cases {@code 0..cases-1} of {@code seed}, stopping early at {@code timeLimit}; prints a
     * line to {@code progress} every 1,000 cases.
     */
    public FuzzReport run(long seed, int cases, Duration timeLimit, PrintStream progress) throws Exception {
        FuzzReport report = new FuzzReport(target.service(), seed);
        long start = System.nanoTime();
        long deadline = start + timeLimit.toNanos();
        store.changedPaths();
        SortedMap<String, Znode> before = settled(store.dump(), report, -1);
        probes.agentLogs().problems();
        probes.serverLogs().problems();
        for (int n = 0; n < cases && System.nanoTime() < deadline; n++) {
            before = runCase(report, seed, n, before);
            if ((n + 1) % 1000 == 0) {
                progress.printf("%s: %d cases, %d violations, %.0f s%n", target.service(), n + 1,
                        report.violations().size(), (System.nanoTime() - start) / 1e9);
            }
        }
        report.finished(Duration.ofNanos(System.nanoTime() - start));
        return report;
    }

    /** Runs case {@code n} and checks it against the store as it was {@code before}; returns the store after it. */
    private SortedMap<String, Znode> runCase(FuzzReport report, long seed, int n, SortedMap<String, Znode> before)
            throws Exception {
        long t0 = System.nanoTime();
        FuzzRequest req = cases.request(seed, n);
        long t1 = System.nanoTime();
        Answer answer = sender.send(req);
        long t2 = System.nanoTime();
        boolean changed = store.changedPaths().stream().anyMatch(p -> !agentWrites.agentsOnly(p));
        SortedMap<String, Znode> after = changed || dumps == Dumps.EVERY_CASE ? store.dump() : before;
        report.spent("generating", t1 - t0);
        report.spent("sending", t2 - t1);
        report.spent("dumping", System.nanoTime() - t2);
        report.dumped(after.size(), after != before);
        String code = answer.code().orElse(null);
        report.count(req.action(), req.mutations(), answer.status(), code);
        check(report, n, req, answer, code, before, after);
        if (answer.status() >= 200 && answer.status() < 300 && !FuzzTarget.readOnly(req.action())) {
            remember(n, req);
            long t3 = System.nanoTime();
            after = settled(after, report, n);
            report.spent("settling", System.nanoTime() - t3);
        }
        readLogs(report, n, req, answer.status(), code);
        return after;
    }

    /** The agents' new fault lines as violations (or notices, for known findings), the servers' as notices. */
    private void readLogs(FuzzReport report, int n, FuzzRequest req, int status, String code) throws Exception {
        long t0 = System.nanoTime();
        List<String> agentProblems = probes.agentLogs().problems();
        List<String> serverProblems = probes.serverLogs().problems();
        report.spent("reading logs", System.nanoTime() - t0);
        for (String line : agentProblems) {
            if (probes.known(line)) {
                report.notice("case " + n + ", known finding: " + line);
            } else {
                report.violation(new Violation(Kind.AGENT_LOGGED, n, req.describe(400), status, code,
                        line + " (successful changes before it: " + recentChanges + ")"), req.action(), req.mutations());
            }
        }
        for (String line : serverProblems) {
            report.notice("case " + n + " (successful changes before it: " + recentChanges + "): " + line);
        }
    }

    private void check(FuzzReport report, int n, FuzzRequest req, Answer answer, String code,
                       SortedMap<String, Znode> before, SortedMap<String, Znode> after) {
        int status = answer.status();
        Kind kind = null;
        String detail = Text.visible(answer.body(), 300);
        if (status == -1) {
            kind = Kind.NO_ANSWER;
            detail = answer.failure();
        } else if (status >= 500) {
            kind = Kind.SERVER_ERROR;
        } else if (status != 0 && (status < 200 || (status >= 300 && status < 400))) {
            kind = Kind.UNEXPECTED_STATUS;
        } else if (status >= 400 && code == null) {
            kind = Kind.NOT_AN_ERROR_DOCUMENT;
        } else if (status >= 400 && !target.allowedCodes(req.action()).contains(code)) {
            kind = Kind.UNLISTED_CODE;
        }
        if (kind != null) {
            report.violation(new Violation(kind, n, req.describe(400), status, code, detail), req.action(), req.mutations());
        }
        if (status >= 400) {
            List<String> changes = agentWrites.unexplained(before, after);
            if (!changes.isEmpty()) {
                report.violation(new Violation(Kind.STATE_CHANGED, n, req.describe(400), status, code,
                        String.join("; ", changes.subList(0, Math.min(5, changes.size())))), req.action(), req.mutations());
            }
        }
    }

    /**
     * {@code dump}, or once the agents finished the work a successful call left them, a later one; a
     * notice in {@code report} when they did not within {@link #SETTLE} (work that never ends, such
     * as records left behind by a deleted cluster, is a finding of its own).
     */
    private SortedMap<String, Znode> settled(SortedMap<String, Znode> dump, FuzzReport report, int n) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Optional<String> pending = agentWrites.pending(dump);
        while (pending.isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            dump = store.dump();
            pending = agentWrites.pending(dump);
        }
        pending.ifPresent(p -> report.notice("case " + n + ": the agents did not finish within " + SETTLE.toSeconds()
                + " s: " + p));
        return dump;
    }

    private void remember(int n, FuzzRequest req) {
        recentChanges.addLast(n + " " + req.action());
        while (recentChanges.size() > 3) {
            recentChanges.removeFirst();
        }
    }
}
