package io.multiaz.cli;

import io.multiaz.api.AccessKey;
import io.multiaz.api.AccessKeys;
import io.multiaz.config.ApiLayout;
import io.multiaz.config.BackupLayout;
import io.multiaz.config.EndpointLayout;
import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.config.OperatorToken;
import io.multiaz.config.TopologyLayout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;
import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local three-zone deployment in one state directory: its layout file, the agents' pid files,
 * and how to start and find agent processes. Knows nothing of the store (STYLE: the CLI talks to
 * the agents' APIs, never to ZooKeeper).
 */
final class LocalSite {
    static final List<String> ZONES = List.of("az-a", "az-b", "az-c");
    static final String HOST = "127.0.0.1";
    static final String AGENT_MARKER = "-Dmultiaz.agent=";
    private static final ProcessRunner RUNNER = new ProcessRunner();

    private final Path root;
    private final String flag;
    private final Layout.Paths paths;

    /**
     * @param root the state directory, by its real path
     * @param flag what a command needs to find it ({@code " --state-dir DIR"}), or "" when it finds it alone
     */
    LocalSite(Path root, String flag) {
        this.root = root;
        this.flag = flag;
        this.paths = new Layout.Paths(root);
    }

    Path root() {
        return root;
    }

    /** {@code " --state-dir DIR"} for the hints that name a command, or "" when none is needed. */
    String flag() {
        return flag;
    }

    Layout.Paths paths() {
        return paths;
    }

    boolean hasLayout() {
        return Files.isRegularFile(paths.layoutFile());
    }

    Layout layout() {
        if (!hasLayout()) {
            throw new UserError("no multiaz deployment in " + root + " (no multiaz.yaml); start one with ./multiaz up"
                    + flag);
        }
        return LayoutFile.read(paths.layoutFile());
    }

    /**
     * A new layout: zone i uses ports base+10i (PostgreSQL) .. base+10i+6; passwords and the operator
     * token are generated.
     * Each zone's host is 127.0.0.1 in the local topology, its namespace's address in netns.
     */
    static Layout newLayout(int basePort, Path pgBin, String runAs, String dataPath, TopologyLayout topology) {
        List<ZoneLayout> zones = new ArrayList<>();
        List<InstanceSpec> instances = new ArrayList<>();
        for (int i = 0; i < ZONES.size(); i++) {
            int p = basePort + 10 * i;
            String host = topology.isNetns() ? topology.zoneAddress(i) : HOST;
            zones.add(new ZoneLayout(ZONES.get(i), i + 1, host, p + 1, p + 2, p + 3, p + 4));
            instances.add(new InstanceSpec("demo-" + (i + 1), ZONES.get(i), host, p));
        }
        ClusterSpec demo = new ClusterSpec("demo", "postgres", 1, instances,
                Credentials.generate("dbadmin", new SecureRandom()), Map.of());
        return new Layout(basePort, pgBin.toString(), runAs, Duration.ofMillis(250), Duration.ofMillis(1500), zones, demo,
                EndpointLayout.defaults(basePort, dataPath, runAs != null), newApi(), topology,
                OperatorToken.generate(new SecureRandom()), BackupLayout.defaults());
    }

    /** A new API access key for region {@value ApiLayout#DEFAULT_REGION}. */
    static ApiLayout newApi() {
        AccessKey key = AccessKeys.generate(new SecureRandom());
        return new ApiLayout(key.accessKeyId(), key.secretAccessKey(), ApiLayout.DEFAULT_REGION);
    }

    /** Writes the AWS CLI profile {@code multiaz} of {@code api} into {@code <state-dir>/aws/}. */
    void writeAwsProfile(ApiLayout api) {
        AccessKeys.writeAwsCliProfile(paths.awsDir(), new AccessKey(api.accessKeyId(), api.secretAccessKey()));
    }

    void writeLayout(Layout layout) {
        LayoutFile.write(paths.layoutFile(), layout);
    }

    /** The data directory of {@code instance} of the demo cluster. */
    Path dataDir(Layout layout, InstanceSpec instance) {
        return paths.instanceDir(layout.demo().name(), instance.name()).resolve("data");
    }

    /** The live agent process of {@code az}, verified by its command line (pids get reused). */
    Optional<ProcessHandle> agent(String az) {
        Path pidFile = paths.agentPidFile(az);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isAgentOf(p, az));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean isAgentOf(ProcessHandle p, String az) {
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        try {
            String cmd = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            return cmd.contains(AGENT_MARKER + az) && cmd.contains("--state-dir " + root);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the agent of {@code az} in its own session, detached, logging to its log file; in the
     * netns topology inside the zone's namespace ({@code ip netns exec <ns> java …}: {@code setsid}
     * and {@code ip netns exec} both exec, so the pid recorded is the java process's).
     */
    ProcessHandle spawnAgent(Layout layout, String az) {
        List<String> prefix = new ArrayList<>(List.of("setsid"));
        if (layout.topology().isNetns()) {
            prefix.addAll(List.of(NetnsTopology.IP, "netns", "exec", layout.topology().namespaces().get(az)));
        }
        return spawn(prefix, az, List.of("--az", az));
    }

    /**
     * Starts endpoints-only agent {@code label} of the netns topology in the root namespace
     * ({@code agent --endpoints-only LABEL}).
     */
    ProcessHandle spawnEndpointsAgent(String label) {
        return spawn(List.of("setsid"), label, List.of("--endpoints-only", label));
    }

    private ProcessHandle spawn(List<String> prefix, String label, List<String> agentArgs) {
        try {
            Files.createDirectories(paths.logDir());
            Files.createDirectories(paths.runDir());
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of(java, AGENT_MARKER + label,
                    "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dlogback.configurationFile=logback-agent.xml",
                    "-cp", System.getProperty("java.class.path"),
                    "io.multiaz.Main", "agent"));
            cmd.addAll(agentArgs);
            cmd.addAll(List.of("--state-dir", root.toString()));
            Process process = RUNNER.spawn(Command.of("the agent of " + label, "check that "
                    + cmd.getFirst() + " is installed and run ./multiaz up again", cmd), paths.agentLog(label));
            Files.writeString(paths.agentPidFile(label), Long.toString(process.pid()));
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the agent of " + label + ": " + e.getMessage(), e);
        } catch (ProcessException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The last {@code n} lines of {@code az}'s agent log, for error messages. */
    String logTail(String az, int n) {
        try {
            List<String> lines = Files.readAllLines(paths.agentLog(az), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log at " + paths.agentLog(az) + ")";
        }
    }
}
