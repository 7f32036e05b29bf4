package io.multiaz.config;

import io.multiaz.model.ClusterSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The local deployment written by {@code multiaz up} to {@code <state-dir>/multiaz.yaml} and read
 * by every agent: the zones with their ports, timing, where PostgreSQL lives, and the demo
 * cluster's spec (including its generated passwords, hence the file's mode 0600).
 *
 * @param runAs          OS user that runs PostgreSQL when the agent is root, else null
 * @param tick           HA loop period
 * @param sessionTimeout ZooKeeper session timeout of each agent
 * @param endpoints      endpoint addresses and routing; defaults from the base port when absent
 *                       (layouts written before endpoints existed)
 * @param api            the RDS API's access key; null in layouts written before the API existed,
 *                       until the next {@code multiaz up} adds one
 * @param topology       where the zones run (loopback, or a network namespace each); local when absent
 *                       (layouts written before topologies existed)
 * @param operatorToken  what the agents' operator routes (switchover, failover, pause, resume,
 *                       restart) require; null in layouts written before it existed, until the
 *                       next {@code multiaz up} adds one
 * @param backups        the backup repository and archive timeout; defaults when absent (layouts
 *                       written before backups existed)
 */
public record Layout(int basePort, String pgBinDir, String runAs, Duration tick, Duration sessionTimeout,
                     List<ZoneLayout> zones, ClusterSpec demo, EndpointLayout endpoints, ApiLayout api,
                     TopologyLayout topology, OperatorToken operatorToken, BackupLayout backups) {
    /**
     * The labels of the endpoints-only agents of the netns topology (pid file, log, owner election
     * id): two in the root namespace, so that losing one does not stop the endpoints from following
     * the writer; the other owns them within a ZooKeeper session timeout.
     */
    public static final List<String> ENDPOINTS_AGENTS = List.of("endpoints", "endpoints-2");

    public Layout {
        endpoints = endpoints == null ? EndpointLayout.defaults(basePort, "auto") : endpoints;
        topology = topology == null ? TopologyLayout.local() : topology;
        backups = backups == null ? BackupLayout.defaults() : backups;
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        zones = List.copyOf(zones);
        Objects.requireNonNull(demo, "demo");
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("a layout needs at least one zone");
        }
    }

    /** This layout with the API key {@code api}. */
    public Layout withApi(ApiLayout api) {
        return new Layout(basePort, pgBinDir, runAs, tick, sessionTimeout, zones, demo, endpoints, api, topology,
                operatorToken, backups);
    }

    /** This layout with the operator token {@code token}. */
    public Layout withOperatorToken(OperatorToken token) {
        return new Layout(basePort, pgBinDir, runAs, tick, sessionTimeout, zones, demo, endpoints, api, topology, token,
                backups);
    }

    /**
     * Where the endpoints-only agent {@code label} of the netns topology (in the root namespace)
     * holds writer connections during a switchover: 127.0.0.1, base port + 7 for the first, + 17 for
     * the second (free in the blocks of zones az-a and az-b, whose agents live in their namespaces).
     */
    public java.net.InetSocketAddress endpointsAgentHold(String label) {
        return new java.net.InetSocketAddress("127.0.0.1", basePort + 7 + 10 * endpointsAgentIndex(label));
    }

    /** The HTTP API ({@code GET /endpoints}) of endpoints-only agent {@code label}: 127.0.0.1, base port + 8 (+ 18). */
    public java.net.InetSocketAddress endpointsAgentHttp(String label) {
        return new java.net.InetSocketAddress("127.0.0.1", basePort + 8 + 10 * endpointsAgentIndex(label));
    }

    /** {@code http://127.0.0.1:<base+8>} (or + 18), the HTTP API of endpoints-only agent {@code label}. */
    public String endpointsAgentUrl(String label) {
        return "http://127.0.0.1:" + endpointsAgentHttp(label).getPort();
    }

    private static int endpointsAgentIndex(String label) {
        int index = ENDPOINTS_AGENTS.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException("no endpoints agent is called '" + label + "'; the endpoints agents are "
                    + ENDPOINTS_AGENTS);
        }
        return index;
    }

    public Optional<ZoneLayout> zone(String az) {
        return zones.stream().filter(z -> z.az().equals(az)).findFirst();
    }

    /** ZooKeeper connect string naming every zone's peer. */
    public String zkConnect() {
        return zones.stream().map(ZoneLayout::zkConnect).collect(Collectors.joining(","));
    }

    /** Where the files of state dir {@code root} live. */
    public record Paths(Path root) {
        public Path layoutFile() {
            return root.resolve("multiaz.yaml");
        }

        public Path logDir() {
            return root.resolve("logs");
        }

        public Path runDir() {
            return root.resolve("run");
        }

        public Path agentLog(String az) {
            return logDir().resolve("agent-" + az + ".log");
        }

        public Path agentPidFile(String az) {
            return runDir().resolve("agent-" + az + ".pid");
        }

        /** Where the AWS CLI profile of the API lives: {@code credentials} and {@code config}. */
        public Path awsDir() {
            return root.resolve("aws");
        }

        public Path zkDir(String az) {
            return root.resolve("zookeeper").resolve(az);
        }

        /** Where every cluster's instance directories live: {@code clusters/<cluster>/<instance>}. */
        public Path clustersDir() {
            return root.resolve("clusters");
        }

        public Path instanceDir(String cluster, String instance) {
            return clustersDir().resolve(cluster).resolve(instance);
        }

        /** Where DB cluster snapshot {@code snapshot} keeps its files: a data directory in {@code data}. */
        /** The default backup repository's parent: {@code backups/} (the pgBackRest config, passphrase, repo). */
        public Path backupsDir() {
            return root.resolve("backups");
        }

        public Path snapshotDir(String snapshot) {
            return root.resolve("snapshots").resolve(snapshot);
        }
    }
}
