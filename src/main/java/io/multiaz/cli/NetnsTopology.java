package io.multiaz.cli;

import io.multiaz.config.Layout;
import io.multiaz.config.TopologyLayout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The network of the netns topology, made with iproute2's {@code ip}: a bridge in the root
 * namespace with the deployment network's {@code .1}, and per zone a network namespace joined to
 * it by a veth pair (the root end attached to the bridge, the other end in the namespace with the
 * zone's address and a default route via the bridge), {@code lo} up. docs/TOPOLOGY.md lists the names.
 *
 * <p>Only what is named for this state dir is ever touched. The names are checked free when the
 * deployment is created ({@link #checkFree}); after that, {@link #setUp} reuses what exists (it is
 * idempotent, so {@code up} repairs a half-made network) and {@link #tearDown} removes it. The bridge
 * carries the alias {@code multiaz <state dir>}; a bridge of our name with another alias is not ours
 * and is neither reused nor deleted.
 *
 * <p>The bridge gets {@code route_localnet=1}: endpoint clients in the root namespace connect from
 * 127.0.0.1, and the endpoint rules DNAT (and masquerade) those connections to the zones across
 * the bridge, which Linux refuses for loopback sources on a device without it (kube-proxy sets the
 * same for node ports on localhost).
 */
final class NetnsTopology {
    static final String IP = find();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ProcessRunner RUNNER = new ProcessRunner();

    private final Layout layout;
    private final TopologyLayout topology;
    private final String alias;
    private final PrintWriter out;

    NetnsTopology(Layout layout, Path stateDir, PrintWriter out) {
        this.layout = layout;
        this.topology = layout.topology();
        this.alias = "multiaz " + stateDir.toAbsolutePath().normalize();
        this.out = out;
        if (!topology.isNetns()) {
            throw new IllegalArgumentException("not a netns topology: " + topology.kind());
        }
    }

    private static String find() {
        for (String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return "ip";
    }

    /** Why this process cannot build the topology (not root, no iproute2), or null when it can. */
    static String unavailableReason() {
        if (!Os.isRoot()) {
            return "--topology netns creates network namespaces, veth pairs and a bridge, which needs root; run "
                    + "./multiaz up --topology netns as root (sudo), or use --topology local";
        }
        if (!Files.isExecutable(Path.of(IP))) {
            return "--topology netns needs the ip program of iproute2; install it (apt-get install iproute2)";
        }
        return null;
    }

    /**
     * For a new deployment: none of its names exists yet and no root-namespace link has an address
     * of its network (another deployment with the same base port), so everything named for this
     * state dir is ours from now on.
     */
    void checkFree() {
        List<String> taken = new ArrayList<>();
        if (linkExists(topology.bridge())) {
            taken.add("link " + topology.bridge());
        }
        for (ZoneLayout z : layout.zones()) {
            String ns = topology.namespaces().get(z.az());
            if (namespaceExists(ns)) {
                taken.add("network namespace " + ns);
            }
            if (linkExists(topology.vethRoot(z.az()))) {
                taken.add("link " + topology.vethRoot(z.az()));
            }
        }
        if (!taken.isEmpty()) {
            throw new UserError("cannot create the netns topology: " + String.join(", ", taken) + " already exist(s) "
                    + "and this new state dir did not create them (a destroyed deployment left them, or another state "
                    + "dir shares the name hash); remove them (ip netns del <ns>, ip link del <link>) or use another "
                    + "--state-dir");
        }
        String used = run(List.of(IP, "-o", "-4", "addr", "show", "to", topology.network()), true).strip();
        if (!used.isEmpty()) {
            throw new UserError("cannot create the netns topology: " + topology.network() + " is already in use here ("
                    + used.lines().findFirst().orElse("") + "); another deployment has the same --base-port (the "
                    + "network is picked from it): choose another --base-port");
        }
    }

    /** Creates what is missing of the bridge, the namespaces and the veth pairs; reuses what exists. */
    void setUp() {
        String bridge = topology.bridge();
        if (!linkExists(bridge)) {
            run(List.of(IP, "link", "add", bridge, "type", "bridge"), false);
            UpCommand.step(out, "created bridge " + bridge);
        } else if (!alias.equals(aliasOf(bridge))) {
            throw new UserError("link " + bridge + " exists but is not this deployment's bridge (its alias is '"
                    + aliasOf(bridge) + "', expected '" + alias + "'); remove it or use another --state-dir");
        }
        run(List.of(IP, "link", "set", "dev", bridge, "alias", alias), false);
        run(List.of(IP, "addr", "replace", topology.gateway() + "/24", "dev", bridge), false);
        run(List.of(IP, "link", "set", "dev", bridge, "up"), false);
        routeLocalnet(bridge);
        for (int i = 0; i < layout.zones().size(); i++) {
            zone(layout.zones().get(i).az(), topology.zoneAddress(i));
        }
    }

    private void zone(String az, String address) {
        String ns = topology.namespaces().get(az);
        String root = topology.vethRoot(az);
        String peer = topology.vethPeer(az);
        if (!namespaceExists(ns)) {
            run(List.of(IP, "netns", "add", ns), false);
            UpCommand.step(out, "created network namespace " + ns + " for " + az);
        }
        if (!linkExists(root)) {
            // a veth pair dies with either end: no root end means no peer end either
            run(List.of(IP, "link", "add", root, "type", "veth", "peer", "name", peer, "netns", ns), false);
        }
        run(List.of(IP, "link", "set", "dev", root, "alias", alias + " " + az), false);
        run(List.of(IP, "link", "set", "dev", root, "master", topology.bridge()), false);
        run(List.of(IP, "link", "set", "dev", root, "up"), false);
        run(List.of(IP, "-n", ns, "link", "set", "dev", "lo", "up"), false);
        run(List.of(IP, "-n", ns, "addr", "replace", address + "/24", "dev", peer), false);
        run(List.of(IP, "-n", ns, "link", "set", "dev", peer, "up"), false);
        run(List.of(IP, "-n", ns, "route", "replace", "default", "via", topology.gateway()), false);
    }

    /**
     * Deletes the veth pairs, the namespaces and the bridge; idempotent. A pair goes first, by its
     * root end: a namespace's links are destroyed asynchronously after {@code ip netns del}, so its
     * pair's root end could vanish between a check and a delete.
     */
    void tearDown() {
        for (ZoneLayout z : layout.zones()) {
            String root = topology.vethRoot(z.az());
            delete(List.of(IP, "link", "del", root), () -> linkExists(root), "veth pair " + root);
            String ns = topology.namespaces().get(z.az());
            if (delete(List.of(IP, "netns", "del", ns), () -> namespaceExists(ns), "network namespace " + ns)) {
                UpCommand.step(out, "removed network namespace " + ns);
            }
        }
        String bridge = topology.bridge();
        if (linkExists(bridge) && !alias.equals(aliasOf(bridge))) {
            UpCommand.step(out, "left link " + bridge + " in place: its alias '" + aliasOf(bridge)
                    + "' says another deployment made it");
        } else if (delete(List.of(IP, "link", "del", bridge), () -> linkExists(bridge), "bridge " + bridge)) {
            UpCommand.step(out, "removed bridge " + bridge);
        }
    }

    /** Runs {@code command} if {@code exists}; fails only when it still exists afterwards. Returns whether it ran. */
    private static boolean delete(List<String> command, java.util.function.BooleanSupplier exists, String what) {
        if (!exists.getAsBoolean()) {
            return false;
        }
        String text = run(command, true);
        if (exists.getAsBoolean()) {
            throw new UserError("cannot remove " + what + ": " + text.strip() + "; remove it by hand ("
                    + String.join(" ", command) + ")");
        }
        return true;
    }

    static boolean namespaceExists(String ns) {
        return Files.exists(Path.of("/run/netns", ns));
    }

    static boolean linkExists(String link) {
        return Files.exists(Path.of("/sys/class/net", link));
    }

    private static String aliasOf(String link) {
        try {
            return Files.readString(Path.of("/sys/class/net", link, "ifalias")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void routeLocalnet(String link) {
        Path knob = Path.of("/proc/sys/net/ipv4/conf", link, "route_localnet");
        try {
            Files.writeString(knob, "1");
        } catch (IOException e) {
            throw new UserError("cannot set " + knob + " to 1 (" + e.getMessage() + "); endpoint connections from "
                    + "127.0.0.1 could not reach the zones. Set it by hand (sysctl -w net.ipv4.conf." + link
                    + ".route_localnet=1) and run up again");
        }
    }

    /** Runs {@code command}; a failure is a {@link UserError} naming it, unless {@code tolerant}. */
    private static String run(List<String> command, boolean tolerant) {
        Command c = Command.of(String.join(" ", command), "fix the cause (install iproute2 with apt-get install "
                + "iproute2 if ip is missing) and run the command again (it reuses what was made)", command);
        try {
            ProcessResult r = RUNNER.run(c, TIMEOUT);
            if (!tolerant) {
                r.requireSuccess();
            }
            return r.output();
        } catch (ProcessException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
