package io.multiaz.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.multiaz.config.Layout;
import io.multiaz.json.Json;
import io.multiaz.model.ClusterOverview;
import io.multiaz.model.ClusterReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code multiaz status}: every cluster of the deployment, one block each (the demo cluster first),
 * or the one {@code --cluster} names; JSON with {@code --json}: the demo cluster's (or the named
 * one's) fields at the top level, as before clusters were many, and every cluster in {@code clusters}.
 */
@Command(name = "status", description = "Show each cluster's instances: role, state, timeline, LSN, lag and last "
        + "decision; --cluster NAME shows one.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Mixin
    ClusterOption cluster;

    @Option(names = "--json", description = "Print JSON: the demo cluster's (or --cluster's) fields, \"cluster\", "
            + "\"members\" ..., and \"clusters\": [...], every cluster in that shape.")
    boolean json;

    @Spec
    CommandSpec spec;

    /**
     * The JSON shape of {@code status --json}. {@code commitsWait}: the writer has fewer synchronous
     * standbys streaming than its quorum, or sessions whose commit waits for one ({@code waitingCommits}).
     * {@code topology}: {@code local} or {@code netns}; for netns, {@code namespaces} (zone → network
     * namespace) and {@code bridge} (the root namespace's bridge), null for local (docs/TOPOLOGY.md).
     * {@code backups}: the cluster's backup status as its owner published it (docs/BACKUP.md), null before it did.
     * {@code clusters}: every cluster of the deployment in this same shape (without {@code clusters}),
     * at the top level only.
     */
    record Status(String cluster, String leader, long epoch, boolean paused, Object request, int syncStandbys,
                  int waitingCommits, boolean commitsWait, Endpoints endpoints, Api api, String stateDir, String logs,
                  List<Member> members, String topology, java.util.Map<String, String> namespaces, String bridge,
                  Object backups, @JsonInclude(JsonInclude.Include.NON_NULL) List<Status> clusters) {
        Status withClusters(List<Status> all) {
            return new Status(cluster, leader, epoch, paused, request, syncStandbys, waitingCommits, commitsWait,
                    endpoints, api, stateDir, logs, members, topology, namespaces, bridge, backups, all);
        }
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
     * each endpoint points now, and connections accepted and refused per endpoint. The URIs of a
     * cluster created through the API carry no password (its creator chose it).
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
        LocalSite site = stateDir.site();
        Layout layout = site.layout();
        AgentClient agents = new AgentClient(layout);
        String demo = layout.demo().name();
        Optional<List<ClusterOverview>> listed = agents.clusters().map(l -> ClusterOption.demoFirst(l, demo));
        String top = top(listed, demo);
        ClusterReport report = agents.cluster(top).orElseThrow(() -> new UserError(
                "no agent of " + site.root() + " answers; start them with ./multiaz up" + site.flag()));
        Deployment common = new Deployment(site, layout, agents, api(site, layout, agents));
        Status first = common.status(report, listed.flatMap(l -> l.stream()
                .filter(o -> o.report().cluster().equals(top)).findFirst()));
        List<Status> all = listed.map(l -> l.stream().map(o -> o.report().cluster().equals(top) ? first
                : common.status(o.report(), Optional.of(o))).toList()).orElse(List.of(first));
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(first.withClusters(all)));
        } else if (cluster.requested().isPresent()) {
            print(out, first, ClusterOption.flag(top, layout) + site.flag());
        } else {
            for (int i = 0; i < all.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                print(out, all.get(i), ClusterOption.flag(all.get(i).cluster(), layout) + site.flag());
            }
            if (listed.isEmpty()) {
                out.println("(other clusters not listed: no agent could read the store; try again in a moment)");
            }
        }
        return 0;
    }

    /** The cluster at the top level: the named one, else the demo cluster, else the first one listed. */
    private String top(Optional<List<ClusterOverview>> listed, String demo) {
        if (listed.isEmpty()) {
            return cluster.requested().orElse(demo);
        }
        List<String> names = listed.get().stream().map(o -> o.report().cluster()).toList();
        if (cluster.requested().isPresent() || names.isEmpty() || names.contains(demo)) {
            return ClusterOption.choose(cluster.requested(), demo, names);
        }
        return names.getFirst();
    }

    private static Api api(LocalSite site, Layout layout, AgentClient agents) {
        String url = layout.api() == null ? null : agents.apiUrl().orElse(null);
        return new Api(url, layout.api() == null ? null : layout.api().region(), io.multiaz.api.AccessKeys.PROFILE,
                site.paths().awsDir().resolve("credentials").toString(),
                site.paths().awsDir().resolve("config").toString());
    }

    /** What every cluster's block shares: the deployment's layout, agents, API and topology. */
    private record Deployment(LocalSite site, Layout layout, AgentClient agents, Api api) {
        Status status(ClusterReport report, Optional<ClusterOverview> overview) {
            boolean demo = report.cluster().equals(layout.demo().name());
            Dsn.Endpoints uris = demo ? Dsn.endpoints(layout) : overview.map(Dsn::endpoints)
                    .orElse(new Dsn.Endpoints(null, null, Map.of()));
            List<Member> members = report.members().stream().map(m -> member(m, demo
                    ? Dsn.of(layout.demo(), m.name()) : overview.map(o -> Dsn.of(o, m)).orElse(null))).toList();
            return new Status(report.cluster(), report.leader(), report.epoch(), report.paused(), report.request(),
                    report.syncStandbys(), report.waitingCommits(), report.commitsWait(),
                    endpoints(uris, agents.endpoints(report.cluster())), api, site.root().toString(),
                    site.paths().logDir().toString(), members, layout.topology().kind(),
                    layout.topology().isNetns() ? layout.topology().namespaces() : null, layout.topology().bridge(),
                    agents.backups(report.cluster()).orElse(null), null);
        }
    }

    private static Endpoints endpoints(Dsn.Endpoints uris, Optional<com.fasterxml.jackson.databind.JsonNode> owned) {
        return new Endpoints(uris.writer(), uris.reader(), uris.instances(),
                owned.map(n -> n.path("dataPath").asText(null)).orElse(null),
                owned.map(n -> n.path("note").asText("")).orElse("no agent owns the endpoints yet"),
                owned.map(n -> n.path("az").asText(null)).orElse(null),
                owned.map(n -> (Object) n.get("routes")).orElse(List.of()),
                owned.map(n -> (Object) n.get("counters")).orElse(java.util.Map.of()));
    }

    private static Member member(ClusterReport.Member m, String dsn) {
        return new Member(m.name(), m.az(), m.role().toString(), m.state().toString(), m.host(), m.port(),
                m.timeline(), m.lsn().toString(), m.replayedLsn().toString(), m.lagBytes(), m.syncState(),
                m.upstream(), m.streaming(), m.reason(), m.agentPid(), m.serverPid(), dsn);
    }

    /** "127.77.1.1" of a libpq URI, what psql -h takes; "-" when there is none. */
    private static String host(String uri) {
        if (uri == null) {
            return "-";
        }
        java.net.URI u = java.net.URI.create(uri);
        return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    /** One cluster's block; {@code flags} is what a hint about it needs ({@code --cluster}, {@code --state-dir}). */
    private static void print(PrintWriter out, Status s, String flags) {
        out.printf("cluster %s  writer %s  epoch %d%s%n", s.cluster(), s.leader() == null ? "(none)" : s.leader(),
                s.epoch(), s.paused() ? "  PAUSED (./multiaz resume" + flags + ")" : "");
        if (s.request() instanceof io.multiaz.model.OperatorRequest r) {
            out.printf("pending %s%s%s requested at %s%n", r.kind(), r.from() == null ? "" : " from " + r.from(),
                    r.to() == null ? "" : " to " + r.to(), r.requestedAt());
        }
        Endpoints e = s.endpoints();
        out.printf("endpoints (%s%s): writer %s  reader %s%n", e.dataPath() == null ? "not set up" : e.dataPath(),
                e.note() == null || e.note().isEmpty() ? "" : ", " + e.note(), host(e.writer()), host(e.reader()));
        out.println(BackupLine.of(s.backups() instanceof com.fasterxml.jackson.databind.JsonNode n ? n : null,
                java.time.Instant.now()));
        if (s.commitsWait()) {
            out.printf("COMMITS WAIT: writer %s has %d synchronous standby(s) streaming%s; each commit waits until a "
                            + "standby confirms it (semisynchronous). Bring a reader back (./multiaz up restarts a "
                            + "stopped agent; see LAST DECISION below).%n", s.leader(), s.syncStandbys(),
                    s.waitingCommits() > 0 ? " and " + s.waitingCommits() + " session(s) waiting over 1 s" : "");
        }
        int instance = Columns.width(10, s.members().stream().map(Member::name));
        String fmt = "%-" + instance + "s %-5s %-7s %-11s %-8s %-12s %-9s %-9s %s%n";
        out.printf(fmt, "INSTANCE", "ZONE", "ROLE", "STATE", "TIMELINE", "LSN", "LAG", "SYNC", "LAST DECISION");
        for (Member m : s.members()) {
            out.printf(fmt, m.name(), m.az(), m.role(), m.state(), m.timeline(), m.lsn(),
                    m.lagBytes() < 0 ? "-" : Long.toString(m.lagBytes()), m.syncState().isEmpty() ? "-" : m.syncState(),
                    m.reason());
        }
    }
}
