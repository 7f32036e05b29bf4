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

    static String of(ClusterSpec spec, String instance) {
        InstanceSpec i = spec.instance(instance).orElseThrow();
        Credentials c = spec.credentials();
        // generated passwords are alphanumeric, so no percent-encoding is needed
        return "postgresql://" + c.masterUser() + ":" + c.masterPassword() + "@" + i.host() + ":" + i.port() + "/"
                + spec.databaseName();
    }
}
