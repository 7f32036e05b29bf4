package io.multiaz.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the RDS API records of a DB cluster beyond its instances: where it sits in the deployment
 * (its {@code slot}: endpoint block and port range), how it was created, and the settings RDS
 * reports and ModifyDBCluster changes. Clusters made by {@code multiaz up} (the demo) have none and
 * read as {@link #demo()}.
 *
 * @param slot                 the cluster's number in the deployment: its endpoint block (/28) and,
 *                             from 1 on, its PostgreSQL port range; 0 is the demo cluster's
 * @param instanceClass        the Multi-AZ DB cluster form's {@code DBClusterInstanceClass}; null for
 *                             the Aurora form (classes are per instance then)
 * @param parameterGroup       the DB cluster parameter group, null for the default group
 * @param subnetGroup          the DB subnet group, null for {@code default}
 * @param deleting             DeleteDBCluster accepted: the agents stop and remove its instances, the
 *                             last one removes the cluster
 * @param retiring             instances being deleted: out of the cluster (no HA role, no endpoint),
 *                             their agents stop them, remove their data and then drop them from here
 * @param finalSnapshot        the DB cluster snapshot DeleteDBCluster takes (FinalDBSnapshotIdentifier):
 *                             the agent of the last writer keeps its data directory as that snapshot
 *                             instead of removing it; null for none (and in specs written before it)
 */
public record DbClusterSettings(int slot, String instanceClass, String parameterGroup, String subnetGroup,
                                int backupRetentionPeriod, String preferredBackupWindow,
                                String preferredMaintenanceWindow, boolean deletionProtection, Instant createdAt,
                                boolean deleting, List<InstanceSpec> retiring, String finalSnapshot) {
    public static final String BACKUP_WINDOW = "03:00-03:30";
    public static final String MAINTENANCE_WINDOW = "sun:05:00-sun:05:30";
    public static final int MAX_SLOTS = 16;

    public DbClusterSettings {
        if (slot < 0 || slot >= MAX_SLOTS) {
            throw new IllegalArgumentException("cluster slot must be 0-" + (MAX_SLOTS - 1) + ", got " + slot);
        }
        if (backupRetentionPeriod < 0 || backupRetentionPeriod > 35) {
            throw new IllegalArgumentException("backup retention must be 0-35 days, got " + backupRetentionPeriod);
        }
        preferredBackupWindow = preferredBackupWindow == null ? BACKUP_WINDOW : preferredBackupWindow;
        preferredMaintenanceWindow = preferredMaintenanceWindow == null ? MAINTENANCE_WINDOW
                : preferredMaintenanceWindow;
        retiring = retiring == null ? List.of() : List.copyOf(retiring);
    }

    /** Settings without a final snapshot. */
    public DbClusterSettings(int slot, String instanceClass, String parameterGroup, String subnetGroup,
                             int backupRetentionPeriod, String preferredBackupWindow,
                             String preferredMaintenanceWindow, boolean deletionProtection, Instant createdAt,
                             boolean deleting, List<InstanceSpec> retiring) {
        this(slot, instanceClass, parameterGroup, subnetGroup, backupRetentionPeriod, preferredBackupWindow,
                preferredMaintenanceWindow, deletionProtection, createdAt, deleting, retiring, null);
    }

    /** The settings of a cluster {@code multiaz up} made: slot 0, defaults everywhere. */
    public static DbClusterSettings demo() {
        return new DbClusterSettings(0, null, null, null, 1, null, null, false, null, false, List.of());
    }

    /** Whether the cluster was created in the Multi-AZ DB cluster form (it has a cluster-wide class). */
    public boolean multiAzForm() {
        return instanceClass != null;
    }

    public DbClusterSettings withDeleting(boolean value) {
        return new DbClusterSettings(slot, instanceClass, parameterGroup, subnetGroup, backupRetentionPeriod,
                preferredBackupWindow, preferredMaintenanceWindow, deletionProtection, createdAt, value, retiring,
                finalSnapshot);
    }

    public DbClusterSettings withRetiring(List<InstanceSpec> value) {
        return new DbClusterSettings(slot, instanceClass, parameterGroup, subnetGroup, backupRetentionPeriod,
                preferredBackupWindow, preferredMaintenanceWindow, deletionProtection, createdAt, deleting,
                Objects.requireNonNull(value, "retiring"), finalSnapshot);
    }

    public DbClusterSettings withFinalSnapshot(String value) {
        return new DbClusterSettings(slot, instanceClass, parameterGroup, subnetGroup, backupRetentionPeriod,
                preferredBackupWindow, preferredMaintenanceWindow, deletionProtection, createdAt, deleting, retiring,
                value);
    }
}
