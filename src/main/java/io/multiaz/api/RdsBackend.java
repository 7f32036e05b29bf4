package io.multiaz.api;

import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.EngineParameter;
import io.multiaz.model.ParameterGroup;
import io.multiaz.model.SubnetGroup;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * What the API reads and changes, implemented by the agent over its store. Methods are called on
 * the API server's request threads, concurrently; they throw {@link ApiException} for refusals
 * (e.g. {@code InvalidDBClusterStateFault}) and {@code ServiceUnavailable} when the cluster is not
 * observed yet or the store does not answer.
 */
public interface RdsBackend {
    /** The region of the ARNs, e.g. {@code local-1}. */
    String region();

    /** The installed server's {@code major.minor}, e.g. {@code 15.14}. */
    String engineVersion();

    /** The port every endpoint listens on (5432 when the agents run as root). */
    int endpointPort();

    /** The deployment's availability zones, in order. */
    List<String> zones();

    /** Every DB cluster in the store as it is now, by name. */
    List<ClusterDescription> clusters();

    /** The DB cluster {@code name} (lower case) as it is now, if any. */
    Optional<ClusterDescription> cluster(String name);

    /**
     * Where instance {@code ordinal} of the cluster in {@code slot} runs when placed in zone
     * {@code az}: that zone's host and the port the deployment gives it.
     */
    InstanceSpec place(int slot, int ordinal, String name, String az, String instanceClass);

    /** The slot held for a new cluster {@code name}; empty when the deployment has no room for another. */
    OptionalInt claimSlot(String name);

    /** Stores a new cluster; false when one of that name exists (nothing written). */
    boolean createCluster(ClusterSpec spec);

    /**
     * Replaces the spec of {@code cluster} with {@code change} applied to it, atomically; empty when
     * there is none. An {@link ApiException} thrown by {@code change} leaves it and propagates.
     */
    Optional<ClusterSpec> updateSpec(String cluster, UnaryOperator<ClusterSpec> change);

    /**
     * Files a switchover of cluster {@code cluster} to {@code target} (null: the best standby)
     * with the checks of {@code multiaz switchover}, and returns the cluster as it is right after.
     */
    ClusterDescription switchover(String cluster, String target);

    /** Sets the master user's password on the cluster's writer (replicated to its readers). */
    void changeMasterPassword(String cluster, String password);

    /** Restarts the server of {@code instance} of {@code cluster} (its agent does, cleanly). */
    void reboot(String cluster, String instance);

    /** Appends an event to {@code cluster}'s log (kept with the HA events). */
    void recordEvent(String cluster, ClusterEvent event);

    /** Every kept event of {@code cluster}, oldest first. */
    List<ClusterEvent> events(String cluster);

    /** The tags of {@code resource} ({@code "cluster"} or {@code "db:<instance>"}) of {@code cluster}. */
    Map<String, String> tags(String cluster, String resource);

    /**
     * Replaces the tags of {@code resource} with {@code change} applied to them, atomically; an
     * {@link ApiException} thrown by {@code change} leaves them as they were and propagates.
     */
    void updateTags(String cluster, String resource, UnaryOperator<Map<String, String>> change);

    /** Stores {@code group}; false when a group of that name exists (nothing written). */
    boolean createSubnetGroup(SubnetGroup group);

    /** The subnet group {@code name} (lower case), if any. */
    Optional<SubnetGroup> subnetGroup(String name);

    /** Every subnet group, by name. */
    List<SubnetGroup> subnetGroups();

    /** Deletes the subnet group {@code name}; false when there was none. */
    boolean deleteSubnetGroup(String name);

    /** Every parameter of the installed PostgreSQL server, by name ({@code postgres --describe-config}). */
    List<EngineParameter> engineParameters();

    /** Stores {@code group}; false when a DB cluster parameter group of that name exists (nothing written). */
    boolean createParameterGroup(ParameterGroup group);

    /** The stored DB cluster parameter group {@code name} (lower case), if any. */
    Optional<ParameterGroup> parameterGroup(String name);

    /** Every stored DB cluster parameter group, by name. */
    List<ParameterGroup> parameterGroups();

    /**
     * Replaces the group {@code name} with {@code change} applied to it, atomically; empty when there
     * is none. An {@link ApiException} thrown by {@code change} leaves it as it was and propagates.
     */
    Optional<ParameterGroup> updateParameterGroup(String name, UnaryOperator<ParameterGroup> change);

    /** Deletes the DB cluster parameter group {@code name}; false when there was none. */
    boolean deleteParameterGroup(String name);

    /** Stores a new DB cluster snapshot record; false when one of that identifier exists (nothing written). */
    boolean createClusterSnapshot(DbClusterSnapshot snapshot);

    /** The DB cluster snapshot {@code identifier} (lower case), if any. */
    Optional<DbClusterSnapshot> clusterSnapshot(String identifier);

    /** Every DB cluster snapshot, by identifier. */
    List<DbClusterSnapshot> clusterSnapshots();

    /**
     * Replaces the snapshot {@code identifier} with {@code change} applied to it, atomically; empty
     * when there is none. An {@link ApiException} thrown by {@code change} leaves it and propagates.
     */
    Optional<DbClusterSnapshot> updateClusterSnapshot(String identifier, UnaryOperator<DbClusterSnapshot> change);

    /** Deletes the record of snapshot {@code identifier} (its files stay); false when there was none. */
    boolean deleteClusterSnapshot(String identifier);
}
