package io.multiaz.cli;

import io.multiaz.fuzz.FuzzReport;
import io.multiaz.fuzz.Fuzzer;

import java.time.Duration;

/**
 * bench/fuzz: the long run of the RDS API fuzzer against a deployment of its own.
 * {@code --cases N} (default 100000), {@code --seed S} (default 20261203), {@code --minutes M}
 * (stop early; default 600), {@code --base-port P} (default 28900), {@code --full-dumps} (dump the
 * store after every case instead of after cases that changed it). Prints progress to stderr and the
 * result table to stdout; exits 1 when a property was broken.
 */
public final class RdsFuzzBench {
    private RdsFuzzBench() {
    }

    public static void main(String[] args) throws Exception {
        int cases = 100_000;
        long seed = 20261203L;
        long minutes = 600;
        int basePort = 28900;
        Fuzzer.Dumps dumps = Fuzzer.Dumps.ON_CHANGE;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--full-dumps" -> {
                    dumps = Fuzzer.Dumps.EVERY_CASE;
                    i--;
                }
                case "--cases" -> cases = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--minutes" -> minutes = Long.parseLong(value);
                case "--base-port" -> basePort = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: bench/fuzz [--cases N] [--seed S] [--minutes M] [--base-port P] [--full-dumps]");
            }
        }
        FuzzDeployment deployment = FuzzDeployment.create();
        // Ctrl-C or kill (TERM) still destroys the deployment this run started
        Thread destroyer = new Thread(deployment::close, "destroy-fuzz-deployment");
        Runtime.getRuntime().addShutdownHook(destroyer);
        System.err.println("starting a deployment at base port " + basePort + " …");
        deployment.up(basePort);
        FuzzReport report = deployment.fuzzRds(seed, cases, Duration.ofMinutes(minutes), dumps, System.err);
        Runtime.getRuntime().removeShutdownHook(destroyer);
        deployment.close();
        System.out.println("command: bench/fuzz --cases " + cases + " --seed " + seed
                + (dumps == Fuzzer.Dumps.EVERY_CASE ? " --full-dumps" : "") + " (ran " + report.cases() + ")");
        System.out.println(report.table());
        System.exit(report.violations().isEmpty() ? 0 : 1);
    }
}
