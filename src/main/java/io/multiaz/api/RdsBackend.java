package io.multiaz.api;

import io.multiaz.model.EngineParameter;
import io.multiaz.model.InstanceSpec;

import java.util.List;
import java.util.Optional;

/**
 * What the API needs of the agent it runs in: the deployment's facts (region, engine, endpoints,
 * zones), the clusters as they are now (spec, lease, members, addresses), the placement of new
 * instances, and the calls that reach the clusters' servers or their agents. What the API only
 * stores it keeps in the {@link io.multiaz.store.RdsRecords} itself. Methods are called on the API
 * server's request threads, concurrently; they throw {@link ApiException} for refusals (e.g.
 * {@code InvalidDBClusterStateFault}) and {@code ServiceUnavailable} when the cluster is not
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

    /**
     * Files a switchover of cluster {@code cluster} to {@code target} (null: the best standby)
     * with the checks of {@code multiaz switchover}, and returns the cluster as it is right after.
     */
    ClusterDescription switchover(String cluster, String target);

    /** Sets the master user's password on the cluster's writer (replicated to its readers). */
    void changeMasterPassword(String cluster, String password);

    /** Restarts the server of {@code instance} of {@code cluster} (its agent does, cleanly). */
    void reboot(String cluster, String instance);

    /** Every parameter of the installed PostgreSQL server, by name ({@code postgres --describe-config}). */
    List<EngineParameter> engineParameters();

    /**
     * The installed server's refusal of {@code value} for {@code parameter}, in its own words, or
     * empty when the server takes it: the check a reload would make, made before anything is stored.
     */
    Optional<String> parameterValueRefusal(String parameter, String value);
}
