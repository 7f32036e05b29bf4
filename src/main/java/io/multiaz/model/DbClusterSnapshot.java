package io.multiaz.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A DB cluster snapshot: a cleanly shut down PostgreSQL data directory kept by the agent of one
 * zone under {@code <state-dir>/snapshots/<identifier>/data}, and what RDS reports of it. Only final
 * snapshots exist so far (DeleteDBCluster with FinalDBSnapshotIdentifier), typed {@code manual} as
 * RDS types them.
 *
 * <p>Life: the API stores it {@code creating} when it accepts the deletion (the znode is created
 * once, so its name is taken from then on); the agent of the cluster's last writer moves the data
 * directory into place and makes it {@code available}; DeleteDBClusterSnapshot makes it
 * {@code deleting}, and the agent of {@link #az} removes the files and then the record.
 *
 * @param engineVersion      the server's {@code major.minor} that wrote the files; null until available
 * @param snapshotCreateTime when the snapshot was asked for (DeleteDBCluster accepted)
 * @param clusterCreateTime  when the cluster was created, null when not known
 * @param port               the port the cluster's endpoints listened on
 * @param availabilityZones  the zones the cluster's instances were in
 * @param az                 the zone whose agent holds the files; null until the source is known
 * @param host               that zone's host; null with {@code az}
 * @param sizeBytes          the size of the files; 0 until available
 */
public record DbClusterSnapshot(String identifier, String clusterIdentifier, String engine, String engineVersion,
                                Instant snapshotCreateTime, Instant clusterCreateTime, String masterUsername,
                                int port, List<String> availabilityZones, String az, String host, String status,
                                long sizeBytes, String snapshotType) {
    public static final String CREATING = "creating";
    public static final String AVAILABLE = "available";
    public static final String DELETING = "deleting";
    public static final String MANUAL = "manual";
    private static final Set<String> STATUSES = Set.of(CREATING, AVAILABLE, DELETING);
    private static final long GIB = 1L << 30;

    public DbClusterSnapshot {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
        engine = engine == null ? "postgres" : engine;
        availabilityZones = availabilityZones == null ? List.of() : List.copyOf(availabilityZones);
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("snapshot status must be one of " + STATUSES + ", got " + status);
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("snapshot size cannot be negative, got " + sizeBytes);
        }
        snapshotType = snapshotType == null ? MANUAL : snapshotType;
    }

    /** RDS's AllocatedStorage: the size in GiB, rounded up, at least 1. */
    public int allocatedStorage() {
        return (int) Math.max(1, (sizeBytes + GIB - 1) / GIB);
    }

    /** This snapshot with its files in zone {@code zone} on {@code zoneHost}. */
    public DbClusterSnapshot placedIn(String zone, String zoneHost) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, engineVersion, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, zone, zoneHost, status, sizeBytes,
                snapshotType);
    }

    /** This snapshot complete: files in place, of {@code bytes} written by server {@code version}. */
    public DbClusterSnapshot available(String version, long bytes) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, version, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, az, host, AVAILABLE, bytes, snapshotType);
    }

    /** This snapshot in status {@code next}. */
    public DbClusterSnapshot withStatus(String next) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, engineVersion, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, az, host, next, sizeBytes, snapshotType);
    }
}
