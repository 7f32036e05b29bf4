package io.multiaz.endpoint;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The addresses of one cluster's endpoints: a /28 of the deployment's endpoint block per cluster
 * (cluster {@code index}, its slot, takes addresses 16·index + 1 ...): writer 1, reader 2, the
 * instance of ordinal k 3 + k (an instance keeps its address when others are added or deleted).
 * Every endpoint listens on the same port (5432), so {@code psql -h <address>} works as is.
 */
public record EndpointAddresses(InetSocketAddress writer, InetSocketAddress reader,
                                Map<String, InetSocketAddress> instances) {
    public static final int PER_CLUSTER = 16;

    public EndpointAddresses {
        instances = Map.copyOf(instances);
    }

    /** The addresses of {@code spec} in its own slot. */
    public static EndpointAddresses of(Cidr block, ClusterSpec spec, int port) {
        return of(block, spec.rds().slot(), spec, port);
    }

    public static EndpointAddresses of(Cidr block, int index, ClusterSpec spec, int port) {
        int first = PER_CLUSTER * index;
        if (spec.instances().size() > PER_CLUSTER - 3) {
            throw new IllegalArgumentException("cluster " + spec.name() + " has " + spec.instances().size()
                    + " instances; an endpoint block holds " + (PER_CLUSTER - 3));
        }
        if (first + PER_CLUSTER > block.size()) {
            throw new IllegalArgumentException("endpoint block " + block + " has no room for cluster number "
                    + (index + 1) + "; give the deployment a larger endpoint network");
        }
        Map<String, InetSocketAddress> instances = new LinkedHashMap<>();
        for (InstanceSpec i : spec.instances()) {
            instances.put(i.name(), new InetSocketAddress(block.address(first + 3 + spec.ordinal(i)), port));
        }
        return new EndpointAddresses(new InetSocketAddress(block.address(first + 1), port),
                new InetSocketAddress(block.address(first + 2), port), instances);
    }

    /** A libpq URI for {@code address} that psql accepts as is. */
    public static String uri(InetSocketAddress address, String user, String password, String database) {
        return "postgresql://" + user + ":" + password + "@" + address.getAddress().getHostAddress()
                + (address.getPort() == 5432 ? "" : ":" + address.getPort()) + "/" + database;
    }
}
