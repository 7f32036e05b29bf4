package io.multiaz.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A DB cluster snapshot and what RDS reports of it: a full pgBackRest backup set in the cluster's
 * stanza ({@link #inRepository()}), or (a final snapshot of DeleteDBCluster) a cleanly shut down
 * PostgreSQL data directory kept by the agent of one zone under
 * {@code <state-dir>/snapshots/<identifier>/data}. Typed {@code manual} as RDS types them.
 *
 * <p>Life of a backup set: CreateDBClusterSnapshot stores it {@code creating} with its stanza (the
 * znode is created once, so its name is taken from then on); the agent owning the cluster's backups
 * takes a full backup from a standby, updates {@link #percentProgress} while it runs, and makes it
 * {@code available} with the set's label; DeleteDBClusterSnapshot makes it {@code deleting}, and an
 * agent expires the set and then removes the record. Snapshots outlive their cluster.
 *
 * <p>Life of a data directory: the API stores it {@code creating} when it accepts the deletion; the
 * agent of the cluster's last writer moves the data directory into place and makes it
 * {@code available}; DeleteDBClusterSnapshot makes it {@code deleting}, and the agent of {@link #az}
 * removes the files and then the record.
 *
 * @param engineVersion      the server's {@code major.minor} that wrote the files; null until available
 * @param snapshotCreateTime when the snapshot was asked for (DeleteDBCluster accepted)
 * @param clusterCreateTime  when the cluster was created, null when not known
 * @param port               the port the cluster's endpoints listened on
 * @param availabilityZones  the zones the cluster's instances were in
 * @param az                 the zone whose agent holds the files; null until the source is known
 * @param host               that zone's host; null with {@code az}
 * @param sizeBytes          the size of the files; 0 until available
 * @param stanza             the pgBackRest stanza holding it (a backup set); null for a kept data directory
 * @param backupLabel        its backup set's label; null until available, and for a kept data directory
 * @param percentProgress    how much of a backup in progress is copied, 0-100; null: 0 while creating, else 100
 */
public record DbClusterSnapshot(String identifier, String clusterIdentifier, String engine, String engineVersion,
                                Instant snapshotCreateTime, Instant clusterCreateTime, String masterUsername,
                                int port, List<String> availabilityZones, String az, String host, String status,
                                long sizeBytes, String snapshotType, String stanza, String backupLabel,
                                Integer percentProgress) {
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
        if (percentProgress != null && (percentProgress < 0 || percentProgress > 100)) {
            throw new IllegalArgumentException("snapshot progress must be 0-100 %, got " + percentProgress);
        }
    }

    /** A snapshot kept as a data directory (a final snapshot of a cluster deleted before backups existed). */
    public DbClusterSnapshot(String identifier, String clusterIdentifier, String engine, String engineVersion,
                             Instant snapshotCreateTime, Instant clusterCreateTime, String masterUsername, int port,
                             List<String> availabilityZones, String az, String host, String status, long sizeBytes,
                             String snapshotType) {
        this(identifier, clusterIdentifier, engine, engineVersion, snapshotCreateTime, clusterCreateTime,
                masterUsername, port, availabilityZones, az, host, status, sizeBytes, snapshotType, null, null, null);
    }

    /** RDS's PercentProgress. */
    public int percent() {
        return percentProgress != null ? percentProgress : status.equals(CREATING) ? 0 : 100;
    }

    /** Whether it is a pgBackRest backup set (else a kept data directory). */
    public boolean inRepository() {
        return stanza != null;
    }

    /** This snapshot with {@code percent} of its backup copied. */
    public DbClusterSnapshot withProgress(int percent) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, engineVersion, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, az, host, status, sizeBytes, snapshotType,
                stanza, backupLabel, percent);
    }

    /** This snapshot complete as backup set {@code label} of {@code bytes}, taken from server {@code version}. */
    public DbClusterSnapshot backedUp(String label, String version, long bytes) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, version, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, az, host, AVAILABLE, bytes, snapshotType,
                stanza, label, 100);
    }

    /** RDS's AllocatedStorage: the size in GiB, rounded up, at least 1. */
    public int allocatedStorage() {
        return (int) Math.max(1, (sizeBytes + GIB - 1) / GIB);
    }

    /** This snapshot with its files in zone {@code zone} on {@code zoneHost}. */
    public DbClusterSnapshot placedIn(String zone, String zoneHost) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, engineVersion, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, zone, zoneHost, status, sizeBytes,
                snapshotType, stanza, backupLabel, percentProgress);
    }

    /** This snapshot complete: files in place, of {@code bytes} written by server {@code version}. */
    public DbClusterSnapshot available(String version, long bytes) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, version, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, az, host, AVAILABLE, bytes, snapshotType,
                stanza, backupLabel, null);
    }

    /** This snapshot in status {@code next}. */
    public DbClusterSnapshot withStatus(String next) {
        return new DbClusterSnapshot(identifier, clusterIdentifier, engine, engineVersion, snapshotCreateTime,
                clusterCreateTime, masterUsername, port, availabilityZones, az, host, next, sizeBytes, snapshotType,
                stanza, backupLabel, percentProgress);
    }
}
