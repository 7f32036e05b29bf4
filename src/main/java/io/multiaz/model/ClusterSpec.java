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
 * @param rds        what the RDS API records of it; null (clusters of {@code multiaz up}) reads as
 *                   {@link DbClusterSettings#demo()}
 */
public record ClusterSpec(String name, String databaseName, int syncQuorum, List<InstanceSpec> instances,
                          Credentials credentials, Map<String, String> parameters, DbClusterSettings rds) {
    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(databaseName, "databaseName");
        instances = List.copyOf(instances);
        parameters = Map.copyOf(parameters == null ? Map.of() : parameters);
        Objects.requireNonNull(credentials, "credentials");
        rds = rds == null ? DbClusterSettings.demo() : rds;
        if (instances.isEmpty() && rds.createdAt() == null && !rds.deleting()) {
            // the API's Aurora form creates a cluster first and its instances one by one
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

    /**
     * The cluster's pgBackRest stanza: its name and the millisecond of its creation
     * ({@code orders-1764758400123}), {@code <name>-0} for a cluster {@code multiaz up} made; so a new
     * cluster of an old name never meets the old one's backups.
     */
    public String backupStanza() {
        return name + "-" + (rds.createdAt() == null ? 0 : rds.createdAt().toEpochMilli());
    }

    public ClusterSpec(String name, String databaseName, int syncQuorum, List<InstanceSpec> instances,
                       Credentials credentials, Map<String, String> parameters) {
        this(name, databaseName, syncQuorum, instances, credentials, parameters, null);
    }

    /** This spec with {@code next} instances and the RDS quorum for them (1 standby of any, none alone). */
    public ClusterSpec withInstances(List<InstanceSpec> next) {
        return new ClusterSpec(name, databaseName, next.size() > 1 ? 1 : 0, next, credentials, parameters, rds);
    }

    public ClusterSpec withRds(DbClusterSettings next) {
        return new ClusterSpec(name, databaseName, syncQuorum, instances, credentials, parameters, next);
    }

    public ClusterSpec withCredentials(Credentials next) {
        return new ClusterSpec(name, databaseName, syncQuorum, instances, next, parameters, rds);
    }

    /** The ordinal of {@code i}: its own, else its position (specs of {@code multiaz up}). */
    public int ordinal(InstanceSpec i) {
        return i.ordinal() != null ? i.ordinal() : instances.indexOf(i);
    }

    public Optional<InstanceSpec> instance(String instanceName) {
        return instances.stream().filter(i -> i.name().equals(instanceName)).findFirst();
    }

    /** Every instance except {@code instanceName}, in spec order. */
    public List<InstanceSpec> others(String instanceName) {
        return instances.stream().filter(i -> !i.name().equals(instanceName)).toList();
    }
}
