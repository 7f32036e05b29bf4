package io.multiaz.cli;

import io.multiaz.model.ClusterReport;
import io.multiaz.config.Layout;
import io.multiaz.config.OperatorToken;
import io.multiaz.config.TopologyLayout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.engine.PgBinaries;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code multiaz up}: starts (or restarts) the local three-zone deployment and its demo cluster,
 * printing a line per step, and returns once the writer and both readers are streaming. Agents
 * already running are left alone, so {@code up} also restarts a crashed agent.
 */
@Command(name = "up", description = "Start the local three-zone cluster (az-a, az-b, az-c) with a demo DB cluster.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Option(names = "--base-port", paramLabel = "N", description = "First of the ports a new deployment uses: zone i "
            + "takes N+10i (PostgreSQL), +1 (agent HTTP), +2..+4 (ZooKeeper), +5 (endpoint proxy), +6 (RDS API). Default 6500.")
    Integer basePort;

    @Option(names = "--pg-bin", paramLabel = "DIR", description = "PostgreSQL server binaries (default: newest "
            + "/usr/lib/postgresql/<version>/bin, version 15 or later).")
    Path pgBin;

    @Option(names = "--data-path", paramLabel = "KIND", description = "How a new deployment's endpoints carry "
            + "connections: auto (nftables when root, else Netty), nftables or netty. Default auto.")
    String dataPath;

    @Option(names = "--topology", paramLabel = "KIND", description = "Where a new deployment's zones run: local (all on "
            + "this host's loopback) or netns (each zone in a network namespace of its own, joined by a bridge; needs "
            + "root; docs/TOPOLOGY.md). Default local.")
    String topology;

    @Option(names = "--timeout", defaultValue = "180s", paramLabel = "DURATION",
            description = "How long to wait for the cluster to be ready (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalSite site = stateDir.site();
        Duration wait = Durations.parse(timeout, "--timeout");
        String runAs = Os.isRoot() ? "postgres" : null;
        if (TopologyLayout.NETNS.equals(topology) && !site.hasLayout()) {
            requireNetns(); // before anything is made, the state dir included
        }
        step(out, "checking PostgreSQL server binaries");
        Path bin = PgBinaries.find(site.hasLayout() ? Path.of(site.layout().pgBinDir()) : pgBin);
        step(out, "PostgreSQL binaries in " + bin);
        prepareStateDir(out, site, runAs);
        Layout layout = layout(site, out, bin, runAs);
        if (layout.topology().isNetns()) {
            requireNetns();
            new NetnsTopology(layout, site.root(), out).setUp();
        }
        Map<String, ProcessHandle> spawned = startAgents(site, layout, out);
        List<String> started = List.copyOf(spawned.keySet());
        try {
            ClusterReport ready = new Readiness(site, layout, out).await(wait, spawned);
            printReady(out, site, layout, ready);
            return 0;
        } catch (UserError e) {
            new Stopper(site, out).stop(started);
            throw e;
        }
    }

    /**
     * Checks (and makes) the state directory; when the default one is out of the servers' reach,
     * makes its replacement under /var/lib/multiaz and links ./.multiaz to it, saying so.
     */
    private void prepareStateDir(PrintWriter out, LocalSite site, String runAs) {
        StateDirChoice choice = stateDir.choice();
        if (choice instanceof StateDirChoice.Relocated r) {
            step(out, "the " + runAs + " OS user that runs PostgreSQL cannot reach " + r.link() + " (" + r.blockedAt()
                    + " is not searchable by others), so the data lives in " + site.root());
            StateDirs.makeRelocated(r);
        }
        step(out, "checking state directory " + site.root() + (choice instanceof StateDirChoice.Linked l
                ? " (" + l.link() + " links to it)" : ""));
        Preflight.stateDir(site.root(), runAs);
        if (choice instanceof StateDirChoice.Relocated r) {
            StateDirs.link(r);
            step(out, "made " + r.link() + " a link to " + site.root() + ": every ./multiaz command run in "
                    + r.link().getParent() + " finds it without --state-dir (./multiaz destroy removes both)");
        }
    }

    private Layout layout(LocalSite site, PrintWriter out, Path bin, String runAs) {
        if (site.hasLayout()) {
            Layout layout = site.layout();
            if (basePort != null && basePort != layout.basePort()) {
                throw new UserError(site.root() + " was set up with --base-port " + layout.basePort()
                        + "; run without --base-port, or use another --state-dir for other ports");
            }
            if (dataPath != null && !dataPath.equals(layout.endpoints().dataPath())) {
                throw new UserError(site.root() + " was set up with --data-path " + layout.endpoints().dataPath()
                        + "; run without --data-path, or change endpoints.dataPath in " + site.paths().layoutFile()
                        + " while it is down");
            }
            if (topology != null && !topology.equals(layout.topology().kind())) {
                throw new UserError(site.root() + " was set up with --topology " + layout.topology().kind()
                        + "; run without --topology, or use another --state-dir for another topology");
            }
            step(out, "using the existing deployment in " + site.root());
            if (layout.api() == null) {
                layout = layout.withApi(LocalSite.newApi());
                site.writeLayout(layout);
                step(out, "created the RDS API access key (agents already running serve the API after their next start)");
            }
            if (layout.operatorToken() == null) {
                layout = layout.withOperatorToken(OperatorToken.generate(new SecureRandom()));
                site.writeLayout(layout);
                step(out, "created the operator token in " + site.paths().layoutFile()
                        + " (the agents' switchover, failover, pause and restart routes require it)");
            }
            site.writeAwsProfile(layout.api());
            return layout;
        }
        int base = basePort == null ? 6500 : basePort;
        if (base < 1024 || base > 65000) {
            throw new UserError("--base-port must be between 1024 and 65000, got " + base);
        }
        String path = dataPath == null ? "auto" : dataPath;
        if (!io.multiaz.config.EndpointLayout.DATA_PATHS.contains(path)) {
            throw new UserError("--data-path must be one of " + io.multiaz.config.EndpointLayout.DATA_PATHS + ", got "
                    + path);
        }
        String kind = topology == null ? TopologyLayout.LOCAL : topology;
        if (!TopologyLayout.KINDS.contains(kind)) {
            throw new UserError("--topology must be one of " + TopologyLayout.KINDS + ", got " + kind);
        }
        TopologyLayout where = kind.equals(TopologyLayout.NETNS)
                ? TopologyLayout.netns(site.root(), base, LocalSite.ZONES) : TopologyLayout.local();
        Layout layout = LocalSite.newLayout(base, bin, runAs, path, where);
        if (where.isNetns()) {
            requireNetns();
            new NetnsTopology(layout, site.root(), out).checkFree();
        }
        checkPorts(site, layout, List.of());
        site.writeLayout(layout);
        site.writeAwsProfile(layout.api());
        step(out, "created deployment " + site.root() + " (zones az-a, az-b, az-c; ports " + base + "-" + (base + 26)
                + (where.isNetns() ? "; topology netns, network " + where.network() + ", bridge " + where.bridge() : "")
                + ")");
        return layout;
    }

    private Map<String, ProcessHandle> startAgents(LocalSite site, Layout layout, PrintWriter out) {
        List<String> running = new ArrayList<>();
        for (ZoneLayout z : layout.zones()) {
            site.agent(z.az()).ifPresent(p -> {
                running.add(z.az());
                step(out, "agent " + z.az() + " already running (pid " + p.pid() + ")");
            });
        }
        checkPorts(site, layout, running);
        Map<String, ProcessHandle> started = new java.util.LinkedHashMap<>();
        for (ZoneLayout z : layout.zones()) {
            if (!running.contains(z.az())) {
                ProcessHandle p = site.spawnAgent(layout, z.az());
                started.put(z.az(), p);
                step(out, "started agent " + z.az() + " (pid " + p.pid() + (layout.topology().isNetns()
                        ? ", namespace " + layout.topology().namespaces().get(z.az()) : "") + "), log "
                        + site.paths().agentLog(z.az()));
            }
        }
        if (layout.topology().isNetns()) {
            for (String label : Layout.ENDPOINTS_AGENTS) {
                Optional<ProcessHandle> already = site.agent(label);
                if (already.isPresent()) {
                    step(out, "endpoints agent " + label + " already running (pid " + already.get().pid() + ")");
                    continue;
                }
                InetSocketAddress http = layout.endpointsAgentHttp(label);
                InetSocketAddress hold = layout.endpointsAgentHold(label);
                Preflight.portFree(http.getHostString(), http.getPort(), "HTTP API of endpoints agent " + label);
                Preflight.portFree(hold.getHostString(), hold.getPort(), "writer hold listener of endpoints agent "
                        + label);
                ProcessHandle p = site.spawnEndpointsAgent(label);
                started.put(label, p);
                step(out, "started endpoints agent " + label + " in the root namespace (pid " + p.pid() + "), log "
                        + site.paths().agentLog(label));
            }
        }
        return started;
    }

    /** The netns topology needs root and iproute2: otherwise a clear error before anything changes. */
    private static void requireNetns() {
        String reason = NetnsTopology.unavailableReason();
        if (reason != null) {
            throw new UserError(reason);
        }
    }

    /**
     * The zones' ports are free. Not checked in the netns topology: the zone addresses live in the
     * zones' own namespaces, made for this deployment, where nothing else binds.
     */
    private static void checkPorts(LocalSite site, Layout layout, List<String> runningZones) {
        if (layout.topology().isNetns()) {
            return;
        }
        for (ZoneLayout z : layout.zones()) {
            if (runningZones.contains(z.az())) {
                continue;
            }
            Preflight.portFree(z.host(), z.healthPort(), "agent HTTP of " + z.az());
            Preflight.portFree(z.host(), z.zkClientPort(), "ZooKeeper client port of " + z.az());
            Preflight.portFree(z.host(), z.zkQuorumPort(), "ZooKeeper quorum port of " + z.az());
            Preflight.portFree(z.host(), z.zkElectionPort(), "ZooKeeper election port of " + z.az());
            Preflight.portFree(z.host(), z.proxyPort(), "endpoint proxy port of " + z.az());
            Preflight.portFree(z.host(), z.apiPort(), "RDS API port of " + z.az());
            for (InstanceSpec i : layout.demo().instances()) {
                if (i.az().equals(z.az()) && Os.postmaster(site.dataDir(layout, i)).isEmpty()) {
                    Preflight.portFree(i.host(), i.port(), "PostgreSQL of " + i.name());
                }
            }
        }
    }

    private void printReady(PrintWriter out, LocalSite site, Layout layout, ClusterReport report) {
        out.println();
        out.println("cluster " + report.cluster() + " is ready: writer " + report.leader() + ", epoch " + report.epoch());
        for (ClusterReport.Member m : report.members()) {
            out.printf("  %-8s %-5s %-7s %s%n", m.name(), m.az(), m.role(), Dsn.of(layout.demo(), m.name()));
        }
        Dsn.Endpoints endpoints = Dsn.endpoints(layout);
        out.println("endpoints (psql -h <address> -U " + layout.demo().credentials().masterUser() + " works as is):");
        out.println("  writer   " + endpoints.writer());
        out.println("  reader   " + endpoints.reader());
        new AgentClient(layout).endpoints(layout.demo().name()).ifPresentOrElse(n -> out.println("  data path: "
                        + n.path("dataPath").asText()
                        + (n.path("note").asText("").isEmpty() ? "" : " (" + n.path("note").asText() + ")")),
                () -> out.println("  data path: not set up yet; see ./multiaz status"));
        out.println("RDS API (AWS CLI v2): " + apiCommand(site, layout.zones().get(0).apiUrl()));
        out.println("logs:   " + site.paths().logDir() + " (agents) and "
                + site.root().resolve("clusters") + "/<cluster>/<instance>/postgresql.log");
        out.println("status: ./multiaz status" + site.flag() + "    stop: ./multiaz down" + site.flag());
    }

    /** The one-liner that describes the cluster through the API at {@code url} with the profile {@code up} wrote. */
    static String apiCommand(LocalSite site, String url) {
        return "AWS_SHARED_CREDENTIALS_FILE=" + site.paths().awsDir().resolve("credentials")
                + " AWS_CONFIG_FILE=" + site.paths().awsDir().resolve("config")
                + " aws --profile " + io.multiaz.api.AccessKeys.PROFILE + " --endpoint-url " + url
                + " rds describe-db-clusters";
    }

    static void step(PrintWriter out, String line) {
        out.println("==> " + line);
        out.flush();
    }

    /** Waits for one writer and streaming readers, printing each member's changes. */
    private static final class Readiness {
        /** pg_stat_replication.sync_state values of a standby that can acknowledge commits. */
        private static final java.util.Set<String> SYNC_CANDIDATE = java.util.Set.of("quorum", "sync", "potential");

        private final LocalSite site;
        private final Layout layout;
        private final PrintWriter out;
        private final Map<String, String> shown = new HashMap<>();

        Readiness(LocalSite site, Layout layout, PrintWriter out) {
            this.site = site;
            this.layout = layout;
            this.out = out;
        }

        /** @param started the agents this {@code up} spawned, watched through their process handles */
        ClusterReport await(Duration timeout, Map<String, ProcessHandle> started) throws InterruptedException {
            AgentClient client = new AgentClient(layout);
            long deadline = System.nanoTime() + timeout.toNanos();
            step(out, "waiting for the ZooKeeper quorum and cluster " + layout.demo().name());
            while (System.nanoTime() < deadline) {
                // the handles, not the pid files: right after a spawn /proc shows the JDK's spawn
                // helper's command line for a moment, and a pid-file lookup took a starting agent for dead
                for (Map.Entry<String, ProcessHandle> agent : started.entrySet()) {
                    String az = agent.getKey();
                    if (!agent.getValue().isAlive()) {
                        throw new UserError("the agent of " + az + " exited during start-up; last lines of "
                                + site.paths().agentLog(az) + ":" + System.lineSeparator() + site.logTail(az, 15));
                    }
                }
                Optional<ClusterReport> report = client.cluster(layout.demo().name());
                if (report.isPresent()) {
                    show(report.get());
                    if (ready(report.get())) {
                        return report.get();
                    }
                }
                Thread.sleep(250);
            }
            throw new UserError("cluster " + layout.demo().name() + " was not ready within " + timeout.toSeconds()
                    + " s; see the agent logs in " + site.paths().logDir() + ", then run ./multiaz up again");
        }

        private void show(ClusterReport report) {
            for (ClusterReport.Member m : report.members()) {
                String line = m.role() + " " + m.state() + (m.streaming() ? " streaming" : "");
                if (!line.equals(shown.put(m.name(), line))) {
                    step(out, m.name() + " (" + m.az() + "): " + line + " - " + m.reason());
                }
            }
        }

        private static boolean ready(ClusterReport report) {
            if (report.leader() == null) {
                return false;
            }
            for (ClusterReport.Member m : report.members()) {
                boolean ok = m.name().equals(report.leader())
                        ? m.role() == Role.WRITER && m.state() == ServerState.RUNNING
                        : m.role() == Role.READER && m.state() == ServerState.RUNNING && m.streaming()
                        // and the writer counts it for semisynchronous commits, not as an async walsender
                        && SYNC_CANDIDATE.contains(m.syncState());
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
