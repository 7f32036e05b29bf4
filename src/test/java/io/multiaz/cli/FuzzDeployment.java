package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.fuzz.FuzzReport;
import io.multiaz.fuzz.FuzzTarget;
import io.multiaz.fuzz.Fuzzer;
import io.multiaz.fuzz.LogWatch;
import io.multiaz.fuzz.Probes;
import io.multiaz.fuzz.RdsFuzzTarget;
import io.multiaz.fuzz.SignedSender;
import io.multiaz.fuzz.StoreDump;
import io.multiaz.store.StorePaths;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A local multiaz deployment started for fuzzing through the test {@link Cli} helper
 * ({@code multiaz up}, as RdsApiIT does), with what the fuzzer needs of it: the RDS API's
 * {@link FuzzTarget} and its fixtures, a dump of its ZooKeeper store, its agents' logs.
 * {@link #close()} destroys it ({@code multiaz destroy}, which stops the agents it started by their
 * pid files). Used by RdsFuzzIT and bench/fuzz ({@link RdsFuzzBench}).
 */
final class FuzzDeployment implements AutoCloseable {
    /**
     * Agent log lines the fuzzer reports as known instead of failing (docs/RELIABILITY.md, "API
     * fuzzing"): F4b, Curator's LeaderLatch logs ERROR "failed to find our node" when it is closed
     * while the deletion of its predecessor is being handled (all agents close a deleted cluster's
     * endpoint latch at once; CURATOR-3 and its kin): benign, the latch deletes the node it then
     * creates since it is closed, and nothing of ours can order the agents' closes.
     */
    static final List<Pattern> KNOWN_AGENT_PROBLEMS = List.of(
            Pattern.compile("ERROR \\[[^]]*\\] LeaderLatch: \\[id=[^]]*\\] failed to find our node; resetting"));

    private final Path stateDir;

    private FuzzDeployment(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** A deployment in a fresh state directory, not started yet; close it even when {@link #up} throws. */
    static FuzzDeployment create() throws Exception {
        return new FuzzDeployment(Cli.stateDir("fuzz"));
    }

    /** Runs {@code multiaz up} at {@code basePort} (its demo cluster included) and waits until it is available. */
    void up(int basePort) {
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", Integer.toString(basePort),
                "--timeout", "240s");
        if (r.exit() != 0) {
            throw new IllegalStateException("multiaz up failed: " + r.err());
        }
    }

    /**
     * Prepares the RDS fixtures, then runs {@code cases} cases of {@code seed} (for at most
     * {@code limit}) against the RDS API, dumping the store as {@code dumps} says.
     */
    FuzzReport fuzzRds(long seed, int cases, Duration limit, Fuzzer.Dumps dumps, PrintStream progress) throws Exception {
        Layout layout = LayoutFile.read(stateDir.resolve("multiaz.yaml"));
        JsonNode api = Cli.status(stateDir).get("api");
        URI endpoint = URI.create(api.get("url").asText());
        String region = api.get("region").asText();
        AwsCredentialsIdentity credentials = AwsCredentialsIdentity.create(layout.api().accessKeyId(),
                layout.api().secretAccessKey());
        try (SignedSender sender = new SignedSender(endpoint, "rds", region, credentials);
             StoreDump store = new StoreDump(layout.zkConnect(), StorePaths.DEFAULT_ROOT)) {
            RdsFuzzTarget.Fixtures fixtures = RdsFuzzTarget.prepare(sender, region);
            FuzzTarget target = RdsFuzzTarget.of(endpoint, region, credentials, fixtures);
            Probes probes = new Probes(store, StorePaths.DEFAULT_ROOT, LogWatch.agents(stateDir),
                    LogWatch.servers(stateDir), KNOWN_AGENT_PROBLEMS);
            return new Fuzzer(target, sender, probes, dumps).run(seed, cases, limit, progress);
        }
    }

    @Override
    public void close() {
        Cli.Result r = Cli.run("destroy", "--state-dir", stateDir.toString());
        if (r.exit() != 0) {
            throw new IllegalStateException("multiaz destroy failed: " + r.err());
        }
    }
}
