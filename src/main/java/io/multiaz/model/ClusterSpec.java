package io.multiaz.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The desired shape of one DB cluster: its instances (one per availability zone), credentials and
 * server parameters. Written once to the store; the agents build what it describes.
 *
 * @param syncQuorum how many standbys must confirm a commit (the N of {@code ANY N (...)})
 */
public record ClusterSpec(String name, String databaseName, int syncQuorum, List<InstanceSpec> instances,
                          Credentials credentials, Map<String, String> parameters) {
    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(databaseName, "databaseName");
        instances = List.copyOf(instances);
        parameters = Map.copyOf(parameters == null ? Map.of() : parameters);
        Objects.requireNonNull(credentials, "credentials");
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("cluster " + name + " needs at least one instance");
        }
        if (syncQuorum < 0 || syncQuorum >= instances.size() && instances.size() > 1) {
            throw new IllegalArgumentException("syncQuorum of " + name + " must be 0.." + (instances.size() - 1));
        }
        long distinct = instances.stream().map(InstanceSpec::name).distinct().count();
        if (distinct != instances.size()) {
            throw new IllegalArgumentException("instance names of cluster " + name + " must be unique");
        }
    }

    public Optional<InstanceSpec> instance(String instanceName) {
        return instances.stream().filter(i -> i.name().equals(instanceName)).findFirst();
    }

    /** Every instance except {@code instanceName}, in spec order. */
    public List<InstanceSpec> others(String instanceName) {
        return instances.stream().filter(i -> !i.name().equals(instanceName)).toList();
    }
}
