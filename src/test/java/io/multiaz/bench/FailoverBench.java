package io.multiaz.bench;

import io.multiaz.fault.WriteWorkload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bench/failover's driver: for each system (an adapter script in bench/systems, see bench/failover)
 * and each fault, N runs of the same client ({@link WriteWorkload}: single-row autocommit INSERTs,
 * reconnect on error); prints median and max unavailability (longest gap between two acknowledged
 * writes after the fault), failed writes and lost acknowledged writes, as a markdown table.
 *
 * <p>Arguments: {@code --systems multiaz,patroni:defaults,patroni:tuned --faults
 * host-kill,pg-kill,switchover --runs 5 --base-port 23000}.
 */
public final class FailoverBench {
    private static final Duration AFTER_FAULT = Duration.ofSeconds(120);

    record Result(String system, String fault, List<Long> gapsMillis, long failedWrites, long lost) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        List<String> systems = List.of(opt.getOrDefault("systems", "multiaz,patroni:defaults,patroni:tuned").split(","));
        List<String> faults = List.of(opt.getOrDefault("faults", "host-kill,pg-kill,switchover").split(","));
        int runs = Integer.parseInt(opt.getOrDefault("runs", "5"));
        int basePort = Integer.parseInt(opt.getOrDefault("base-port", "23000"));
        Path bench = Path.of(opt.getOrDefault("bench-dir", "bench")).toAbsolutePath();
        List<Result> results = new ArrayList<>();
        int offset = 0;
        for (String system : systems) {
            results.addAll(new SystemRun(bench, system, basePort + offset).run(faults, runs));
            offset += 100;
        }
        System.out.println();
        System.out.println("| system | fault | runs | median unavailable s | max unavailable s | failed writes | lost writes |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (Result r : results) {
            List<Long> sorted = r.gapsMillis().stream().sorted().toList();
            System.out.printf("| %s | %s | %d | %.2f | %.2f | %d | %d |%n", r.system(), r.fault(), sorted.size(),
                    sorted.isEmpty() ? Double.NaN : sorted.get((sorted.size() - 1) / 2) / 1000.0,
                    sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1) / 1000.0, r.failedWrites(), r.lost());
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        return opt;
    }

    /** One system's cluster, driven through its adapter script. */
    private static final class SystemRun {
        private final Path adapter;
        private final String mode;
        private final String name;
        private final int port;
        private final Path dir;

        SystemRun(Path bench, String system, int port) throws IOException {
            String[] parts = system.split(":", 2);
            this.adapter = bench.resolve("systems").resolve(parts[0]);
            this.mode = parts.length > 1 ? parts[1] : "default";
            this.name = system;
            this.port = port;
            Path base = Files.createTempDirectory(Path.of("/tmp"), "multiaz-bench-");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            this.dir = base.resolve("cluster");
        }

        List<Result> run(List<String> faults, int runs) throws Exception {
            String conn = adapter("up", dir.toString(), mode, Integer.toString(port)).lines()
                    .filter(l -> l.startsWith("HOSTPORTS=")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException(name + ": adapter printed no HOSTPORTS line"));
            Map<String, String> c = new HashMap<>();
            for (String kv : conn.split(" ")) {
                String[] p = kv.split("=", 2);
                c.put(p[0], p[1]);
            }
            List<Result> results = new ArrayList<>();
            try {
                for (String fault : faults) {
                    List<Long> gaps = new ArrayList<>();
                    long failed = 0;
                    long lost = 0;
                    for (int i = 1; i <= runs; i++) {
                        adapter("heal", dir.toString());
                        try (WriteWorkload w = new WriteWorkload(c.get("HOSTPORTS"), c.get("DB"), c.get("USER"),
                                c.get("PASSWORD")).start()) {
                            w.awaitMoreAcks(200, Duration.ofSeconds(30));
                            long failedBefore = w.failedWrites();
                            long at = System.nanoTime();
                            adapter("fault", dir.toString(), fault);
                            boolean resumed = w.awaitMoreAcks(100, AFTER_FAULT);
                            w.close();
                            long gap = resumed ? w.longestGap(at).toMillis() : AFTER_FAULT.toMillis();
                            long runLost = w.lost().size();
                            gaps.add(gap);
                            failed += w.failedWrites() - failedBefore;
                            lost += runLost;
                            System.err.printf("%s %s run %d: unavailable %d ms, failed writes %d, lost %d%n", name,
                                    fault, i, gap, w.failedWrites() - failedBefore, runLost);
                        }
                    }
                    results.add(new Result(name, fault, gaps, failed, lost));
                }
            } finally {
                adapter("down", dir.toString());
            }
            return results;
        }

        private String adapter(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("bash", adapter.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(name + ": " + String.join(" ", args) + " failed (exit "
                        + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
            return out;
        }
    }
}
