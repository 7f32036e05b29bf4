package io.multiaz.api;

import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EngineParameter;
import io.multiaz.model.ParameterGroup;
import io.multiaz.model.SubnetGroup;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What the API reads and changes, implemented by the agent over its store. Methods are called on
 * the API server's request threads, concurrently; they throw {@link ApiException} for refusals
 * (e.g. {@code InvalidDBClusterStateFault}) and {@code ServiceUnavailable} when the cluster is not
 * observed yet or the store does not answer.
 */
public interface RdsBackend {
    /** The deployment's one cluster as last observed. */
    ClusterDescription describe();

    /**
     * Files a switchover of cluster {@code cluster} to {@code target} (null: the best standby)
     * with the checks of {@code multiaz switchover}, and returns the cluster as it is right after.
     */
    ClusterDescription switchover(String cluster, String target);

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
}
