package io.multiaz.cli;

import io.multiaz.model.ClusterReport;
import io.multiaz.config.Layout;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What {@code switchover} and {@code failover} share: file the request with an agent, then wait
 * until another instance is the running writer and print how long it took.
 */
abstract class WriterChangeCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Mixin
    ClusterOption cluster;

    @Option(names = "--to", paramLabel = "INSTANCE", description = "The standby to promote (default: the best one).")
    String to;

    @Option(names = "--wait", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long to wait for the new writer (default: ${DEFAULT-VALUE}).")
    String wait;

    @Spec
    CommandSpec spec;

    abstract String kind();

    /** The request's parameters besides the cluster ({@code to=…&force=…}), or "". */
    abstract String query();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration timeout = Durations.parse(wait, "--wait");
        LocalSite site = stateDir.site();
        Layout layout = site.layout();
        AgentClient client = new AgentClient(layout);
        String name = cluster.resolve(client, layout);
        String before = client.cluster(name).map(ClusterReport::leader).orElse(null);
        long started = System.nanoTime();
        client.send("POST", "/" + kind() + "?cluster=" + AgentClient.encode(name) + (query().isEmpty() ? ""
                : "&" + query()));
        out.println(kind() + " of cluster " + name + " requested" + (before == null ? "" : " from " + before)
                + (to == null ? "" : " to " + to));
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ClusterReport> r = client.cluster(name);
            if (r.isPresent() && done(r.get(), before)) {
                out.printf("%s done: %s is the writer (epoch %d) after %d ms%n", kind(), r.get().leader(),
                        r.get().epoch(), (System.nanoTime() - started) / 1_000_000);
                return 0;
            }
            Thread.sleep(100);
        }
        String flags = ClusterOption.flag(name, layout) + site.flag();
        throw new UserError(kind() + " of cluster " + name + " not done within " + timeout.toSeconds() + " s; see "
                + "./multiaz events" + flags + " and ./multiaz status" + flags + " for the reason");
    }

    private boolean done(ClusterReport r, String before) {
        if (r.leader() == null || r.leader().equals(before) || (to != null && !to.equals(r.leader()))) {
            return false;
        }
        return r.members().stream().anyMatch(m -> m.name().equals(r.leader()) && m.role() == Role.WRITER
                && m.state() == ServerState.RUNNING) && r.request() == null;
    }

    String toParam() {
        return to == null ? "" : "to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    }
}
