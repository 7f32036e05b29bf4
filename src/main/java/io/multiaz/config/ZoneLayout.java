package io.multiaz.config;

import java.util.Objects;

/**
 * One availability zone of the local layout: its agent's address and ports.
 *
 * @param id          ZooKeeper server id of the zone's embedded peer (1-based)
 * @param healthPort  the agent's HTTP port (health endpoints, /cluster)
 */
public record ZoneLayout(String az, int id, String host, int healthPort, int zkClientPort, int zkQuorumPort,
                         int zkElectionPort) {
    public ZoneLayout {
        Objects.requireNonNull(az, "az");
        Objects.requireNonNull(host, "host");
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("zone id must be 1-255, got " + id);
        }
    }

    public String healthUrl() {
        return "http://" + host + ":" + healthPort;
    }

    /** The agent's endpoint proxy port (the writer endpoint's hold listener): health port + 4. */
    public int proxyPort() {
        return healthPort + 4;
    }

    /** The agent's RDS-compatible API port: health port + 5. */
    public int apiPort() {
        return healthPort + 5;
    }

    public String apiUrl() {
        return "http://" + host + ":" + apiPort();
    }

    public String zkConnect() {
        return host + ":" + zkClientPort;
    }
}
