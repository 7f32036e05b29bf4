package io.multiaz.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The faults of the suite, each injected for real and healed: processes are killed or paused by
 * pid, zones cut off by nftables rules inside their own network namespace (a table named
 * {@value #TABLE} the suite creates and deletes), links slowed by {@code tc netem} (or, on kernels
 * without it, a token bucket and random drops by nftables) on the zone's
 * interface. Network faults need the netns topology ({@code up --topology netns}); in the local
 * topology only process faults apply.
 *
 * <p>ZooKeeper ports of zone i: base + 10i + 2 (client), + 3 (quorum), + 4 (election); its
 * PostgreSQL instance listens on the port status --json gives.
 */
final class Faults {
    static final String TABLE = "multiaz_chaos";

    /** How to undo a fault; {@code null}-safe no-op for faults that heal themselves. */
    interface Heal {
        void heal() throws Exception;
    }

    /** One kind of fault. */
    interface Fault {
        String name();

        /** Whether it can be injected into {@code s} (a topology that has what it needs, a member to hit). */
        boolean applies(Deployment.Status s, String topology);

        /** Injects it; returns how to heal it. {@code hold} is how long the caller leaves it in place. */
        Heal inject(Deployment d, Deployment.Status s, Random random) throws Exception;
    }

    private final int basePort;
    /** The instance whose directory is a small file system of its own (for the disk-full fault), or null. */
    private final String smallDiskInstance;
    private final java.nio.file.Path smallDisk;

    Faults(int basePort) {
        this(basePort, null, null);
    }

    /** With {@code smallDisk} mounted as the directory of {@code smallDiskInstance}. */
    Faults(int basePort, String smallDiskInstance, java.nio.file.Path smallDisk) {
        this.basePort = basePort;
        this.smallDiskInstance = smallDiskInstance;
        this.smallDisk = smallDisk;
    }

    /** Every fault, by name, in a fixed order (the seeded choice picks among them). */
    List<Fault> all() {
        List<Fault> f = new ArrayList<>();
        f.add(fault("kill-writer-host", false, (d, s, r) -> {
            Deployment.Member w = s.writer().orElseThrow();
            kill("KILL", w.agentPid(), w.serverPid());
            return d::heal;
        }));
        f.add(fault("kill-writer-postgres", false, (d, s, r) -> {
            kill("KILL", s.writer().orElseThrow().serverPid());
            return () -> { };
        }));
        f.add(fault("pause-writer-agent", false, (d, s, r) -> {
            long pid = s.writer().orElseThrow().agentPid();
            kill("STOP", pid);
            return () -> kill("CONT", pid);
        }));
        f.add(fault("switchover", false, (d, s, r) -> {
            d.switchover();
            return () -> { };
        }));
        f.add(fault("restart-every-agent", false, (d, s, r) -> {
            for (Deployment.Member m : s.members()) {
                kill("TERM", m.agentPid());
                waitGone(m.agentPid(), Duration.ofSeconds(60));
                d.heal();
                d.awaitHealthy(Duration.ofSeconds(90));
            }
            return () -> { };
        }));
        f.add(fault("kill-endpoints-owner-and-writer-host", true, (d, s, r) -> {
            // the root namespace's endpoints agent that owns the rules dies with the writer's zone
            // agent and server: the other endpoints agent must take the rules over and follow the failover
            Deployment.Member w = s.writer().orElseThrow();
            if (s.endpointsOwner() == null) {
                throw new IllegalStateException("no endpoints agent owns the endpoints");
            }
            kill("KILL", d.agentPid(s.endpointsOwner()), w.agentPid(), w.serverPid());
            return d::heal;
        }));
        f.add(fault("partition-writer-zone", true, (d, s, r) -> {
            String ns = namespace(s, s.writer().orElseThrow());
            nft(ns, "table inet " + TABLE + " {\n"
                    + " chain in { type filter hook input priority -300; policy drop; iifname \"lo\" accept; }\n"
                    + " chain out { type filter hook output priority -300; policy drop; oifname \"lo\" accept; }\n}\n");
            return () -> dropTable(ns);
        }));
        f.add(fault("writer-cut-from-standbys", true, (d, s, r) -> {
            // the writer still reaches ZooKeeper, but no standby's PostgreSQL, nor they its
            Deployment.Member w = s.writer().orElseThrow();
            String others = s.members().stream().filter(m -> !m.name().equals(w.name())).map(Deployment.Member::host)
                    .collect(Collectors.joining(", "));
            String ports = s.members().stream().map(m -> Integer.toString(m.port())).distinct()
                    .collect(Collectors.joining(", "));
            String ns = namespace(s, w);
            nft(ns, "table inet " + TABLE + " {\n"
                    + " chain in { type filter hook input priority -300; ip saddr { " + others + " } tcp dport { "
                    + ports + " } drop; ip saddr { " + others + " } tcp sport { " + ports + " } drop; }\n"
                    + " chain out { type filter hook output priority -300; ip daddr { " + others + " } tcp dport { "
                    + ports + " } drop; ip daddr { " + others + " } tcp sport { " + ports + " } drop; }\n}\n");
            return () -> dropTable(ns);
        }));
        f.add(fault("writer-cut-from-zookeeper", true, (d, s, r) -> {
            // the writer still streams to its standbys, but reaches no other ZooKeeper peer
            Deployment.Member w = s.writer().orElseThrow();
            String ns = namespace(s, w);
            nft(ns, zkCut(s, w));
            return () -> dropTable(ns);
        }));
        f.add(fault("lose-one-zookeeper-peer", true, (d, s, r) -> {
            // a standby zone's peer is cut from the other peers (its agent and PostgreSQL stay reachable)
            List<Deployment.Member> standbys = s.members().stream().filter(m -> !m.name().equals(s.leader())).toList();
            Deployment.Member m = standbys.get(r.nextInt(standbys.size()));
            String ns = namespace(s, m);
            nft(ns, zkCut(s, m));
            return () -> dropTable(ns);
        }));
        f.add(fault("lose-zookeeper-quorum", true, (d, s, r) -> {
            // both standby zones' peers are cut off: no quorum anywhere; the writer must stop taking writes
            List<String> cut = new ArrayList<>();
            for (Deployment.Member m : s.members()) {
                if (!m.name().equals(s.leader())) {
                    String ns = namespace(s, m);
                    nft(ns, zkCut(s, m));
                    cut.add(ns);
                }
            }
            return () -> {
                for (String ns : cut) {
                    dropTable(ns);
                }
            };
        }));
        if (smallDisk != null) {
            f.add(new Fault() {
                @Override
                public String name() {
                    return "standby-disk-full";
                }

                @Override
                public boolean applies(Deployment.Status s, String topology) {
                    return s.writer().isPresent() && !smallDiskInstance.equals(s.leader())
                            && s.member(smallDiskInstance).isPresent();
                }

                @Override
                public Heal inject(Deployment d, Deployment.Status s, Random random) throws Exception {
                    java.nio.file.Path fill = smallDisk.resolve("chaos-fill");
                    // writes until the file system is full (dd's "No space left on device" is the point)
                    execQuietly(List.of("dd", "if=/dev/zero", "of=" + fill, "bs=1M"));
                    if (java.nio.file.Files.getFileStore(smallDisk).getUsableSpace() > 1024 * 1024) {
                        throw new IOException("could not fill " + smallDisk + " (still "
                                + java.nio.file.Files.getFileStore(smallDisk).getUsableSpace() + " bytes free)");
                    }
                    return () -> java.nio.file.Files.deleteIfExists(fill);
                }
            });
        }
        f.add(fault("slow-lossy-writer-link", true, (d, s, r) -> {
            // tc netem where the kernel has it (delay 40±20 ms, 3 % loss); kernels without sch_netem (such
            // as this project's CI machine) get the same loss from nftables and the delay from a token
            // bucket (tbf) whose queue makes packets wait under load
            String ns = namespace(s, s.writer().orElseThrow());
            String dev = device(ns);
            List<String> tc = List.of("ip", "netns", "exec", ns, "tc", "qdisc");
            try {
                exec(concat(tc, "replace", "dev", dev, "root", "netem", "delay", "40ms", "20ms", "loss", "3%"));
            } catch (IOException noNetem) {
                exec(concat(tc, "replace", "dev", dev, "root", "tbf", "rate", "2mbit", "burst", "16kb", "latency",
                        "100ms"));
                nft(ns, "table inet " + TABLE + " {\n"
                        + " chain in { type filter hook input priority -300; iifname \"lo\" accept;"
                        + " numgen random mod 100 < 3 drop; }\n"
                        + " chain out { type filter hook output priority -300; oifname \"lo\" accept;"
                        + " numgen random mod 100 < 3 drop; }\n}\n");
            }
            return () -> {
                exec(concat(tc, "del", "dev", dev, "root"));
                dropTable(ns);
            };
        }));
        return f;
    }

    /** This catalog with the disk-full fault on {@code instance}, whose directory is {@code disk}. */
    Faults withSmallDisk(String instance, java.nio.file.Path disk) {
        return new Faults(basePort, instance, disk);
    }

    Optional<Fault> byName(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Drops ZooKeeper traffic between {@code m}'s zone and every other zone (client, quorum, election ports). */
    private String zkCut(Deployment.Status s, Deployment.Member m) {
        String others = s.members().stream().filter(o -> !o.name().equals(m.name())).map(Deployment.Member::host)
                .collect(Collectors.joining(", "));
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < s.members().size(); i++) {
            for (int k = 2; k <= 4; k++) {
                ports.add(Integer.toString(basePort + 10 * i + k));
            }
        }
        String p = String.join(", ", ports);
        return "table inet " + TABLE + " {\n"
                + " chain in { type filter hook input priority -300; ip saddr { " + others + " } tcp dport { " + p
                + " } drop; ip saddr { " + others + " } tcp sport { " + p + " } drop; }\n"
                + " chain out { type filter hook output priority -300; ip daddr { " + others + " } tcp dport { " + p
                + " } drop; ip daddr { " + others + " } tcp sport { " + p + " } drop; }\n}\n";
    }

    private interface Injector {
        Heal inject(Deployment d, Deployment.Status s, Random r) throws Exception;
    }

    private static Fault fault(String name, boolean network, Injector injector) {
        return new Fault() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean applies(Deployment.Status s, String topology) {
                return s.writer().isPresent() && (!network || topology.equals("netns") && !s.namespaces().isEmpty());
            }

            @Override
            public Heal inject(Deployment d, Deployment.Status s, Random random) throws Exception {
                return injector.inject(d, s, random);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static String namespace(Deployment.Status s, Deployment.Member m) {
        String ns = s.namespaces().get(m.az());
        if (ns == null) {
            throw new IllegalStateException("status --json names no network namespace for zone " + m.az()
                    + "; run the suite with --topology netns");
        }
        return ns;
    }

    /** The zone's interface toward the bridge: the namespace's one link that is not lo. */
    private static String device(String ns) throws IOException, InterruptedException {
        String out = exec(List.of("ip", "netns", "exec", ns, "ip", "-o", "link", "show"));
        return out.lines().map(l -> l.split(":")[1].trim()).map(n -> n.contains("@") ? n.substring(0, n.indexOf('@')) : n)
                .filter(n -> !n.equals("lo")).findFirst()
                .orElseThrow(() -> new IllegalStateException("namespace " + ns + " has no interface but lo"));
    }

    static void kill(String signal, long... pids) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        for (long pid : pids) {
            if (pid > 0) {
                cmd.add(Long.toString(pid));
            }
        }
        if (cmd.size() > 2) {
            execQuietly(cmd);
        }
    }

    private static void waitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void nft(String ns, String ruleset) throws IOException, InterruptedException {
        dropTable(ns);
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(ruleset.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("nft in " + ns + " refused the fault's rules: " + out + "\n" + ruleset);
        }
    }

    /** Deletes the suite's table in {@code ns}, if there is one. */
    static void dropTable(String ns) throws IOException, InterruptedException {
        execQuietly(List.of("ip", "netns", "exec", ns, "nft", "delete", "table", "inet", TABLE));
    }

    static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static void execQuietly(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
    }

    /** Names of every fault, for the usage text. */
    String names() {
        return all().stream().map(Fault::name).collect(Collectors.joining(", "));
    }

    static Map<String, Object> describe(Fault f, Deployment.Status s) {
        return Map.of("fault", f.name(), "writer", s.leader() == null ? "" : s.leader());
    }
}
