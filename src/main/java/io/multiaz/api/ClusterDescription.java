package io.multiaz.api;

import io.multiaz.model.BackupStatus;
import io.multiaz.model.ClusterReport;
import io.multiaz.model.ClusterSpec;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the API says about one DB cluster, gathered by the agent at one instant: the spec,
 * the report of its members, and the facts that are not in the store (engine version, endpoint
 * addresses). {@link RdsShapes} turns it into the service model's {@code DBCluster} and
 * {@code DBInstance}.
 *
 * @param engineVersion     the server's {@code major.minor}, e.g. {@code 15.14}
 * @param writerAddress     the writer endpoint's IP address, what {@code psql -h} takes
 * @param readerAddress     the reader endpoint's IP address
 * @param instanceAddresses each instance's endpoint IP address by instance name
 * @param port              the port every endpoint listens on (5432 as root)
 * @param createTime        when the cluster's bootstrap completed, null when not recorded
 * @param region            the region of the ARNs
 * @param bootstrapped      the cluster's first writer has finished its bootstrap
 * @param backups           what the owner of the cluster's backups last published; null before it did
 */
public record ClusterDescription(ClusterSpec spec, ClusterReport report, String engineVersion, String writerAddress,
                                 String readerAddress, Map<String, String> instanceAddresses, int port,
                                 Instant createTime, String region, boolean bootstrapped, BackupStatus backups) {
    /** A description without backup status. */
    public ClusterDescription(ClusterSpec spec, ClusterReport report, String engineVersion, String writerAddress,
                              String readerAddress, Map<String, String> instanceAddresses, int port,
                              Instant createTime, String region, boolean bootstrapped) {
        this(spec, report, engineVersion, writerAddress, readerAddress, instanceAddresses, port, createTime, region,
                bootstrapped, null);
    }

    public ClusterDescription {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(engineVersion, "engineVersion");
        instanceAddresses = Map.copyOf(instanceAddresses);
        Objects.requireNonNull(region, "region");
    }

    public String name() {
        return spec.name();
    }

    /** This description with {@code other} in place of its spec, e.g. the spec just written. */
    public ClusterDescription withSpec(ClusterSpec other) {
        return new ClusterDescription(other, report, engineVersion, writerAddress, readerAddress, instanceAddresses,
                port, createTime, region, bootstrapped, backups);
    }

    /** This description with {@code report} in place of its own, e.g. with a request just filed. */
    public ClusterDescription withReport(ClusterReport other) {
        return new ClusterDescription(spec, other, engineVersion, writerAddress, readerAddress, instanceAddresses, port,
                createTime, region, bootstrapped, backups);
    }
}
