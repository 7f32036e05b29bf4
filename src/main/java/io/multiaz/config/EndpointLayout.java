package io.multiaz.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The endpoints of the deployment's clusters: where their addresses come from and how they route.
 *
 * @param network           the block endpoint addresses are taken from, one /28 per cluster
 *                          (local mode: a /24 of 127.0.0.0/8, different per state dir)
 * @param port              the port every endpoint listens on (PostgreSQL's 5432, as RDS)
 * @param dataPath          {@code auto} (nftables when the agent may program it, else Netty),
 *                          {@code nftables} or {@code netty}
 * @param holdTimeout       how long the writer endpoint holds a new connection while a switchover
 *                          or failover has no writer yet, before closing it
 * @param readerMaxLagBytes a reader further behind the writer than this leaves the reader endpoint
 * @param readerFallbackToWriter with no qualifying reader, the reader endpoint sends to the writer
 * @param allowedCidrs      client networks every endpoint admits (security-group style); others are refused
 */
public record EndpointLayout(String network, int port, String dataPath, Duration holdTimeout, long readerMaxLagBytes,
                             boolean readerFallbackToWriter, List<String> allowedCidrs) {
    public static final List<String> DATA_PATHS = List.of("auto", "nftables", "netty");

    public EndpointLayout {
        Objects.requireNonNull(network, "network");
        dataPath = dataPath == null ? "auto" : dataPath;
        if (!DATA_PATHS.contains(dataPath)) {
            throw new IllegalArgumentException("endpoint data path must be one of " + DATA_PATHS + ", got " + dataPath);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port must be 1-65535, got " + port);
        }
        holdTimeout = holdTimeout == null ? Duration.ofSeconds(5) : holdTimeout;
        allowedCidrs = allowedCidrs == null || allowedCidrs.isEmpty() ? List.of("127.0.0.0/8") : List.copyOf(allowedCidrs);
    }

    /**
     * The default for a state dir whose ports start at {@code basePort}: a /24 of 127.77.0.0/16
     * picked by the base port (so deployments side by side do not share addresses), port 5432.
     */
    public static EndpointLayout defaults(int basePort, String dataPath) {
        return defaults(basePort, dataPath, true);
    }

    /**
     * @param root whether the agents run as root; without root no endpoint can listen on 5432 (a
     *             privileged port), so the endpoints take {@code basePort + 9} (free in every zone's block)
     */
    public static EndpointLayout defaults(int basePort, String dataPath, boolean root) {
        return new EndpointLayout("127.77." + ((basePort / 10) % 256) + ".0/24", root ? 5432 : basePort + 9, dataPath,
                Duration.ofSeconds(5), 16L * 1024 * 1024, true, List.of("127.0.0.0/8"));
    }
}
