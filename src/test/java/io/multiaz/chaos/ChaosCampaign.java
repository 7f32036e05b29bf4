package io.multiaz.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.multiaz.json.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * bench/chaos's driver: a deployment, the {@link BankWorkload} through its endpoints, a
 * {@link RoleSampler}, and N faults drawn from a seeded random sequence (or the ones named), each
 * held for a few seconds, healed, and followed by a wait for the cluster to be healthy again. At
 * the end, with every fault healed: every acknowledged write must be on the writer and on every
 * member, the bank total must hold, no reader may have seen a row the writer does not have, and
 * no sample may have seen two writers. Writes a JSON and a markdown report.
 *
 * <p>Arguments: {@code --faults N} (default 10), {@code --seed S} (default: the time), {@code --only
 * a,b} (draw among these faults only), {@code --report-json FILE}, {@code --report-md FILE},
 * {@code --topology netns|local} (default netns), {@code --base-port P} (default 26000),
 * {@code --state-dir DIR}, {@code --launcher PATH} (the multiaz script), {@code --keep} (leave the
 * deployment running at the end). Exit status 0 when no check failed, 1 otherwise.
 */
public final class ChaosCampaign {
    private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Without a ZooKeeper quorum the writer must stop taking writes within the session timeout
     * (1.5 s by default); a write acknowledged later than this after the quorum was lost is a violation.
     */
    private static final double QUORUM_LOSS_WRITE_BOUND_SECONDS = 2.5;
    /** The standby whose directory is a 2 GiB tmpfs of its own, so that its disk can be filled. */
    static final String SMALL_DISK_INSTANCE = "demo-3";

    /** Mounts a tmpfs owned by the server's OS user at {@code dir} (before {@code up} creates the instance). */
    private static Path mountSmallDisk(Path dir) throws Exception {
        Files.createDirectories(dir);
        String mounts = Files.readString(Path.of("/proc/self/mounts"));
        if (!mounts.contains(" " + dir + " ")) {
            String uid = Faults.exec(List.of("id", "-u", "postgres")).strip();
            String gid = Faults.exec(List.of("id", "-g", "postgres")).strip();
            Faults.exec(List.of("mount", "-t", "tmpfs", "-o", "size=2g,mode=0700,uid=" + uid + ",gid=" + gid,
                    "multiaz-chaos", dir.toString()));
        }
        return dir;
    }

    /**
     * One fault as it happened; {@code zooKeeperLeaderZone} is the zone whose ZooKeeper peer led
     * the quorum just before it (a fault that cuts off that zone also makes the quorum elect anew).
     */
    record Injected(int number, String fault, String writerBefore, String writerAfter, Instant at, double heldSeconds,
                    double healedSeconds, double unavailableSeconds, String error, String zooKeeperLeaderZone) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int faults = Integer.parseInt(opt.getOrDefault("faults", "10"));
        long seed = Long.parseLong(opt.getOrDefault("seed", Long.toString(System.currentTimeMillis() % 1_000_000)));
        String topology = opt.getOrDefault("topology", "netns");
        int basePort = Integer.parseInt(opt.getOrDefault("base-port", "26000"));
        Path stateDir = Path.of(opt.getOrDefault("state-dir", "target/chaos/state")).toAbsolutePath();
        Path launcher = Path.of(opt.getOrDefault("launcher", "multiaz")).toAbsolutePath();
        Path json = Path.of(opt.getOrDefault("report-json", "target/chaos/report.json")).toAbsolutePath();
        Path md = Path.of(opt.getOrDefault("report-md", json.toString().replaceAll("\\.json$", "") + ".md"))
                .toAbsolutePath();
        Optional<Set<String>> only = Optional.ofNullable(opt.get("only")).map(s -> Set.of(s.split(",")));
        if (faults < 0) {
            throw new IllegalArgumentException("--faults must be 0 or more, got " + faults);
        }
        if (!topology.equals("netns") && !topology.equals("local")) {
            throw new IllegalArgumentException("--topology must be netns or local, got " + topology);
        }
        Files.createDirectories(stateDir.getParent());
        Deployment d = new Deployment(Deployment.launcher(launcher), stateDir, basePort, topology);
        int status = new ChaosCampaign().run(d, new Faults(basePort), faults, seed, only, json, md,
                opt.containsKey("keep"));
        System.exit(status);
    }

    int run(Deployment d, Faults catalog, int count, long seed, Optional<Set<String>> only, Path json, Path md,
            boolean keep) throws Exception {
        Random random = new Random(seed);
        progress("seed " + seed + ": starting a " + d.topology() + " deployment in " + d.stateDir());
        Path smallDisk = null;
        if (d.topology().equals("netns")) {
            smallDisk = mountSmallDisk(d.stateDir().resolve("clusters").resolve("demo").resolve(SMALL_DISK_INSTANCE));
            catalog = catalog.withSmallDisk(SMALL_DISK_INSTANCE, smallDisk);
        }
        d.up();
        d.awaitHealthy(HEAL_TIMEOUT).orElseThrow(() -> new IllegalStateException("the deployment did not become"
                + " healthy after up; see " + d.stateDir().resolve("logs")));
        Deployment.Status s = d.status();
        BankWorkload workload = new BankWorkload(s.writerEndpoint(), s.readerEndpoint(), seed).start(2, 2);
        Map<String, Deployment.Jdbc> members = new LinkedHashMap<>();
        Deployment.Jdbc base = Deployment.Jdbc.of(s.writerEndpoint(), "connectTimeout=1&loginTimeout=1&socketTimeout=2");
        s.members().forEach(m -> members.put(m.name(), base.at(m.hostPort())));
        RoleSampler sampler = new RoleSampler(members, 100).start();
        Thread.sleep(3000);
        workload.resetGap();
        List<Faults.Fault> candidates = catalog.all().stream()
                .filter(f -> only.map(o -> o.contains(f.name())).orElse(true)).toList();
        List<Injected> injected = new ArrayList<>();
        long started = System.nanoTime();
        for (int n = 1; n <= count; n++) {
            Deployment.Status before = d.status();
            String zkLeader = d.zooKeeperLeaderZone(before);
            List<Faults.Fault> possible = candidates.stream().filter(f -> f.applies(before, d.topology())).toList();
            if (possible.isEmpty()) {
                throw new IllegalStateException("no fault of " + candidates + " applies to this deployment ("
                        + d.topology() + " topology); use --topology netns for the network faults");
            }
            Faults.Fault fault = possible.get(random.nextInt(possible.size()));
            double hold = 3 + random.nextInt(6);
            progress("fault " + n + "/" + count + ": " + fault.name() + " (writer " + before.leader()
                    + ", ZooKeeper leader in " + zkLeader + "), held " + (int) hold + " s");
            Instant at = Instant.now();
            workload.startWindow();
            String error = null;
            Faults.Heal heal = () -> { };
            try {
                heal = fault.inject(d, before, random);
            } catch (Exception e) {
                error = "inject: " + e.getMessage();
                progress("  could not inject: " + e.getMessage());
            }
            long injectedNanos = System.nanoTime();
            Thread.sleep((long) (hold * 1000));
            if (fault.name().equals("lose-zookeeper-quorum") && error == null) {
                double lastWrite = (workload.lastAckNanos() - injectedNanos) / 1e9;
                if (lastWrite > QUORUM_LOSS_WRITE_BOUND_SECONDS) {
                    error = String.format("a write was acknowledged %.1f s into the loss of the ZooKeeper quorum"
                            + " (bound %.1f s): the writer did not stop in time", lastWrite,
                            QUORUM_LOSS_WRITE_BOUND_SECONDS);
                    progress("  VIOLATION: " + error);
                }
            }
            long healStart = System.nanoTime();
            try {
                heal.heal();
            } catch (Exception e) {
                error = (error == null ? "" : error + "; ") + "heal: " + e.getMessage();
                progress("  could not heal: " + e.getMessage());
            }
            // an agent that died with its zone (or was killed) is restarted as an operator would
            Optional<Duration> healthy = d.awaitHealthy(Duration.ofSeconds(30));
            if (healthy.isEmpty()) {
                d.heal();
                healthy = d.awaitHealthy(HEAL_TIMEOUT);
            }
            double healed = (System.nanoTime() - healStart) / 1e9;
            Deployment.Status after = d.status();
            if (healthy.isEmpty()) {
                error = (error == null ? "" : error + "; ") + "not healthy " + HEAL_TIMEOUT.toSeconds()
                        + " s after healing";
                progress("  NOT healthy after healing; see " + d.stateDir().resolve("logs"));
            }
            progress(String.format("  healed in %.1f s, writer now %s, longest time without an acknowledged write"
                    + " %.1f s", healed, after.leader(), workload.windowGapSeconds()));
            double unavailable = workload.windowGapSeconds();
            injected.add(new Injected(n, fault.name(), before.leader(), after.leader(), at, hold, healed, unavailable,
                    error, zkLeader));
        }
        double campaignSeconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(2000);
        workload.stop();
        sampler.close();
        BankWorkload.Check check = workload.check();
        Map<String, Long> divergent = memberCounts(d, workload.acked(), base);
        ObjectNode report = report(seed, d.topology(), injected, check, sampler, workload, divergent, campaignSeconds);
        Files.createDirectories(json.getParent());
        Files.writeString(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        Files.writeString(md, markdown(report, injected, check));
        progress("report: " + json + " and " + md);
        System.out.println(Files.readString(md));
        if (!keep) {
            d.down();
            if (smallDisk != null) {
                Faults.exec(List.of("umount", smallDisk.toString()));
            }
            d.destroy();
        }
        boolean ok = check.violations().isEmpty() && sampler.dualWriterSamples().isEmpty() && divergent.isEmpty()
                && injected.stream().allMatch(i -> i.error() == null);
        return ok ? 0 : 1;
    }

    /**
     * Acknowledged rows missing on each member once it has caught up (waits up to 30 s for the
     * standbys to replay): a member that never gets them has a history of its own.
     */
    private static Map<String, Long> memberCounts(Deployment d, Set<Long> acked, Deployment.Jdbc base)
            throws Exception {
        Map<String, Long> missing = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Deployment.Member m : d.status().members()) {
            Deployment.Jdbc j = base.at(m.hostPort());
            long gone = Long.MAX_VALUE;
            while (true) {
                try {
                    gone = missingOn(j, acked);
                } catch (SQLException e) {
                    gone = -1;
                }
                if (gone == 0 || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
            if (gone != 0) {
                missing.put(m.name(), gone);
            }
        }
        return missing;
    }

    private static long missingOn(Deployment.Jdbc j, Set<Long> acked) throws SQLException {
        Set<Long> present = new java.util.HashSet<>();
        try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM chaos_rows")) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        return acked.stream().filter(id -> !present.contains(id)).count();
    }

    private static ObjectNode report(long seed, String topology, List<Injected> injected, BankWorkload.Check c,
                                     RoleSampler sampler, BankWorkload w, Map<String, Long> divergent,
                                     double seconds) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("seed", seed);
        r.put("topology", topology);
        r.put("faults", injected.size());
        r.put("campaignSeconds", Math.round(seconds));
        r.put("acked", c.acked() + c.ackedTransfers());
        r.put("ackedRows", c.acked());
        r.put("ackedTransfers", c.ackedTransfers());
        r.put("failed", c.failed());
        r.put("inDoubt", c.inDoubt());
        r.put("lost", c.lost());
        r.put("dualWriterSamples", sampler.dualWriterSamples().size());
        r.put("samples", sampler.samples());
        r.put("maxUnavailableSeconds", Math.round(w.longestGapSeconds() * 100) / 100.0);
        r.put("total", c.total());
        r.put("expectedTotal", BankWorkload.TOTAL);
        r.put("reads", c.reads());
        r.put("phantomReads", c.phantomReads());
        ObjectNode members = r.putObject("membersMissingAckedRows");
        divergent.forEach(members::put);
        ArrayNode v = r.putArray("violations");
        c.violations().forEach(v::add);
        sampler.dualWriterSamples().forEach(x -> v.add("two writers at " + x));
        divergent.forEach((m, n) -> v.add(m + " lacks " + (n < 0 ? "(unreachable)" : n) + " acknowledged row(s)"));
        injected.stream().filter(i -> i.error() != null).forEach(i -> v.add("fault " + i.number() + " " + i.fault()
                + ": " + i.error()));
        ArrayNode list = r.putArray("faultLog");
        for (Injected i : injected) {
            ObjectNode f = list.addObject();
            f.put("n", i.number());
            f.put("fault", i.fault());
            f.put("at", i.at().toString());
            f.put("writerBefore", i.writerBefore());
            f.put("writerAfter", i.writerAfter());
            f.put("zooKeeperLeaderZone", i.zooKeeperLeaderZone());
            f.put("heldSeconds", i.heldSeconds());
            f.put("healedSeconds", Math.round(i.healedSeconds() * 10) / 10.0);
            f.put("unavailableSeconds", Math.round(i.unavailableSeconds() * 10) / 10.0);
            if (i.error() != null) {
                f.put("error", i.error());
            }
        }
        return r;
    }

    private static String markdown(ObjectNode r, List<Injected> injected, BankWorkload.Check c) {
        StringBuilder s = new StringBuilder("# Fault campaign, seed ").append(r.get("seed").asLong()).append("\n\n");
        s.append("| faults | acked | failed | in doubt | lost | dual-writer samples | max unavailable s | total holds |"
                + " phantom reads | violations |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        s.append("| ").append(r.get("faults").asInt()).append(" | ").append(r.get("acked").asLong()).append(" | ")
                .append(r.get("failed").asLong()).append(" | ").append(r.get("inDoubt").asLong()).append(" | ")
                .append(r.get("lost").asLong()).append(" | ").append(r.get("dualWriterSamples").asInt()).append(" | ")
                .append(r.get("maxUnavailableSeconds").asDouble()).append(" | ")
                .append(c.total() == BankWorkload.TOTAL ? "yes" : "NO (" + c.total() + ")").append(" | ")
                .append(c.phantomReads()).append(" | ").append(r.get("violations").size()).append(" |\n\n");
        s.append("| # | fault | writer before | ZooKeeper leader in | writer after | held s | no acknowledged write"
                + " for s | healthy again after s |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Injected i : injected) {
            s.append("| ").append(i.number()).append(" | ").append(i.fault()).append(" | ").append(i.writerBefore())
                    .append(" | ").append(i.zooKeeperLeaderZone()).append(" | ").append(i.writerAfter()).append(" | ").append((int) i.heldSeconds()).append(" | ")
                    .append(String.format("%.1f", i.unavailableSeconds())).append(" | ")
                    .append(String.format("%.1f", i.healedSeconds())).append(i.error() == null ? "" : " (" + i.error()
                            + ")").append(" |\n");
        }
        if (r.get("violations").size() > 0) {
            s.append("\nViolations:\n");
            r.get("violations").forEach(v -> s.append("- ").append(v.asText()).append('\n'));
        }
        return s.toString();
    }

    private static void progress(String line) {
        System.err.println("[chaos " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name [value], got " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("keep")) {
                opt.put(name, "true");
            } else if (i + 1 < args.length) {
                opt.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return opt;
    }
}
