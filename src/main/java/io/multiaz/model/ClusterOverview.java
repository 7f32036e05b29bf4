package io.multiaz.model;

import java.util.Map;

/**
 * One cluster of the deployment as an agent's {@code GET /clusters} lists it: its report, the
 * addresses of its endpoints and who to connect as. No secret: the route is open.
 *
 * @param endpoints  the addresses of its endpoints; null when the agent does not know them
 * @param masterUser the cluster's master user
 * @param database   the database the cluster was created with
 */
public record ClusterOverview(ClusterReport report, EndpointHosts endpoints, String masterUser, String database) {

    /**
     * The IP addresses of a cluster's endpoints, all on {@code port}: writer, reader, and each
     * instance's own endpoint by instance name.
     */
    public record EndpointHosts(String writer, String reader, Map<String, String> instances, int port) {
        public EndpointHosts {
            instances = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(instances));
        }
    }
}
