package io.multiaz.cli;

import io.multiaz.model.ClusterReport;
import io.multiaz.config.Layout;
import io.multiaz.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code multiaz status}: one line per instance, or JSON with {@code --json}. */
@Command(name = "status", description = "Show each instance's role, state, timeline, LSN, lag and last decision.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Option(names = "--json", description = "Print JSON: {\"cluster\": ..., \"members\": [...]}.")
    boolean json;

    @Spec
    CommandSpec spec;

    /**
     * The JSON shape of {@code status --json}. {@code commitsWait}: the writer has fewer synchronous
     * standbys streaming than its quorum, or sessions whose commit waits for one ({@code waitingCommits}).
     * {@code topology}: {@code local} or {@code netns}; for netns, {@code namespaces} (zone → network
     * namespace) and {@code bridge} (the root namespace's bridge), null for local (docs/TOPOLOGY.md).
     */
    record Status(String cluster, String leader, long epoch, boolean paused, Object request, int syncStandbys,
                  int waitingCommits, boolean commitsWait, Endpoints endpoints, Api api, String stateDir, String logs,
                  List<Member> members, String topology, java.util.Map<String, String> namespaces, String bridge) {
    }

    /**
     * {@code api}: the RDS API of the first agent that answers (null url when none does or the layout
     * has no key yet), its region and the AWS CLI profile {@code up} wrote.
     */
    record Api(String url, String region, String profile, String credentialsFile, String configFile) {
    }

    /**
     * {@code endpoints}: libpq URIs of the writer, reader and instance endpoints, the data path
     * ({@code nftables}, or {@code netty} with the reason in {@code note}), the owning agent, where
     * each endpoint points now, and connections accepted and refused per endpoint.
     */
    record Endpoints(String writer, String reader, java.util.Map<String, String> instances, String dataPath,
                     String note, String owner, Object routes, Object counters) {
    }

    /** One instance in {@code status --json}; {@code dsn} connects as the master user. */
    record Member(String name, String az, String role, String state, String host, int port, long timeline,
                  String lsn, String replayedLsn, long lagBytes, String syncState, String upstream, boolean streaming,
                  String reason, long agentPid, long serverPid, String dsn) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalSite site = new LocalSite(stateDir.path());
        Layout layout = site.layout();
        ClusterReport report = new AgentClient(layout).cluster().orElseThrow(() -> new UserError(
                "no agent of " + site.root() + " answers; start them with ./multiaz up"));
        Status status = new Status(report.cluster(), report.leader(), report.epoch(), report.paused(),
                report.request(), report.syncStandbys(), report.waitingCommits(), report.commitsWait(),
                endpoints(layout, new AgentClient(layout)), api(site, layout, new AgentClient(layout)),
                site.root().toString(),
                site.paths().logDir().toString(), report.members().stream().map(m -> member(layout, m)).toList(),
                layout.topology().kind(), layout.topology().isNetns() ? layout.topology().namespaces() : null,
                layout.topology().bridge());
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(status));
        } else {
            print(out, status);
        }
        return 0;
    }

    private static Api api(LocalSite site, Layout layout, AgentClient agents) {
        String url = layout.api() == null ? null : agents.apiUrl().orElse(null);
        return new Api(url, layout.api() == null ? null : layout.api().region(), io.multiaz.api.AccessKeys.PROFILE,
                site.paths().awsDir().resolve("credentials").toString(),
                site.paths().awsDir().resolve("config").toString());
    }

    private static Endpoints endpoints(Layout layout, AgentClient agents) {
        Dsn.Endpoints uris = Dsn.endpoints(layout);
        var owned = agents.endpoints();
        return new Endpoints(uris.writer(), uris.reader(), uris.instances(),
                owned.map(n -> n.path("dataPath").asText(null)).orElse(null),
                owned.map(n -> n.path("note").asText("")).orElse("no agent owns the endpoints yet"),
                owned.map(n -> n.path("az").asText(null)).orElse(null),
                owned.map(n -> (Object) n.get("routes")).orElse(List.of()),
                owned.map(n -> (Object) n.get("counters")).orElse(java.util.Map.of()));
    }

    private static Member member(Layout layout, ClusterReport.Member m) {
        return new Member(m.name(), m.az(), m.role().toString(), m.state().toString(), m.host(), m.port(),
                m.timeline(), m.lsn().toString(), m.replayedLsn().toString(), m.lagBytes(), m.syncState(),
                m.upstream(), m.streaming(), m.reason(), m.agentPid(), m.serverPid(), Dsn.of(layout.demo(), m.name()));
    }

    /** "127.77.1.1" of a libpq URI, what psql -h takes. */
    private static String host(String uri) {
        java.net.URI u = java.net.URI.create(uri);
        return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    private static void print(PrintWriter out, Status s) {
        out.printf("cluster %s  writer %s  epoch %d%s%n", s.cluster(), s.leader() == null ? "(none)" : s.leader(),
                s.epoch(), s.paused() ? "  PAUSED (./multiaz resume)" : "");
        if (s.request() instanceof io.multiaz.model.OperatorRequest r) {
            out.printf("pending %s%s%s requested at %s%n", r.kind(), r.from() == null ? "" : " from " + r.from(),
                    r.to() == null ? "" : " to " + r.to(), r.requestedAt());
        }
        Endpoints e = s.endpoints();
        out.printf("endpoints (%s%s): writer %s  reader %s%n", e.dataPath() == null ? "not set up" : e.dataPath(),
                e.note() == null || e.note().isEmpty() ? "" : ", " + e.note(), host(e.writer()), host(e.reader()));
        if (s.commitsWait()) {
            out.printf("COMMITS WAIT: writer %s has %d synchronous standby(s) streaming%s; each commit waits until a "
                            + "standby confirms it (semisynchronous). Bring a reader back (./multiaz up restarts a "
                            + "stopped agent; see LAST DECISION below).%n", s.leader(), s.syncStandbys(),
                    s.waitingCommits() > 0 ? " and " + s.waitingCommits() + " session(s) waiting over 1 s" : "");
        }
        String fmt = "%-10s %-5s %-7s %-11s %-8s %-12s %-9s %-9s %s%n";
        out.printf(fmt, "INSTANCE", "ZONE", "ROLE", "STATE", "TIMELINE", "LSN", "LAG", "SYNC", "LAST DECISION");
        for (Member m : s.members()) {
            out.printf(fmt, m.name(), m.az(), m.role(), m.state(), m.timeline(), m.lsn(),
                    m.lagBytes() < 0 ? "-" : Long.toString(m.lagBytes()), m.syncState().isEmpty() ? "-" : m.syncState(),
                    m.reason());
        }
    }
}
