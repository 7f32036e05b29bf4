package io.multiaz.cli;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;

/** libpq connection URIs for the master user, which psql accepts as they are. */
final class Dsn {
    private Dsn() {
    }

    /** The libpq URIs of the demo cluster's endpoints (port 5432 is left out, as psql -h needs no -p). */
    static Endpoints endpoints(io.multiaz.config.Layout layout) {
        ClusterSpec spec = layout.demo();
        Credentials c = spec.credentials();
        var addresses = io.multiaz.endpoint.EndpointAddresses.of(io.multiaz.endpoint.Cidr.parse(
                layout.endpoints().network()), 0, spec, layout.endpoints().port());
        java.util.Map<String, String> instances = new java.util.LinkedHashMap<>();
        addresses.instances().forEach((name, a) -> instances.put(name, uri(a, c, spec)));
        return new Endpoints(uri(addresses.writer(), c, spec), uri(addresses.reader(), c, spec), instances);
    }

    private static String uri(java.net.InetSocketAddress a, Credentials c, ClusterSpec spec) {
        return io.multiaz.endpoint.EndpointAddresses.uri(a, c.masterUser(), c.masterPassword(), spec.databaseName());
    }

    /** {@code status --json}'s {@code endpoints}; dataPath and counters come from the agent that owns them. */
    record Endpoints(String writer, String reader, java.util.Map<String, String> instances) {
    }

    /**
     * The URIs of the endpoints of a cluster created through the API, as {@code GET /clusters} lists
     * them: no password, which its creator chose (none when the agent listed no endpoints).
     */
    static Endpoints endpoints(io.multiaz.model.ClusterOverview o) {
        var hosts = o.endpoints();
        if (hosts == null) {
            return new Endpoints(null, null, java.util.Map.of());
        }
        java.util.Map<String, String> instances = new java.util.LinkedHashMap<>();
        hosts.instances().forEach((name, host) -> instances.put(name, withoutPassword(o, host, hosts.port())));
        return new Endpoints(withoutPassword(o, hosts.writer(), hosts.port()),
                withoutPassword(o, hosts.reader(), hosts.port()), instances);
    }

    /** The URI of instance {@code m} of a cluster created through the API: no password. */
    static String of(io.multiaz.model.ClusterOverview o, io.multiaz.model.ClusterReport.Member m) {
        return withoutPassword(o, m.host(), m.port());
    }

    private static String withoutPassword(io.multiaz.model.ClusterOverview o, String host, int port) {
        return "postgresql://" + o.masterUser() + "@" + host + (port == 5432 ? "" : ":" + port) + "/" + o.database();
    }

    static String of(ClusterSpec spec, String instance) {
        InstanceSpec i = spec.instance(instance).orElseThrow();
        Credentials c = spec.credentials();
        // generated passwords are alphanumeric, so no percent-encoding is needed
        return "postgresql://" + c.masterUser() + ":" + c.masterPassword() + "@" + i.host() + ":" + i.port() + "/"
                + spec.databaseName();
    }
}
