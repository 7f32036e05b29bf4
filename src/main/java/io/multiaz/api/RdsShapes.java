package io.multiaz.api;

import io.multiaz.model.ClusterReport;
import io.multiaz.model.DbClusterSettings;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ClusterDescription} as the service model's {@code DBCluster}, {@code DBInstance}
 * and {@code DBEngineVersion}, with the fixed values multiaz reports where RDS has settings
 * multiaz does not have yet (README, "RDS API"). Stateless.
 *
 * <p>Cluster status: {@code deleting} once DeleteDBCluster is accepted; {@code creating} until
 * its first writer has bootstrapped and, in the Multi-AZ DB cluster form, until its first readers
 * have their copies (before any failover); {@code failing-over} while a switchover or failover
 * request is pending or no writer holds the lease; otherwise {@code available}, also when a reader
 * is down (RDS too keeps a degraded Multi-AZ DB cluster {@code available}; the instance shows it),
 * and for a cluster of the Aurora form that has no instances yet. Instance status: {@code deleting}
 * once DeleteDBInstance (or DeleteDBCluster) is accepted; {@code rebooting} from a RebootDBInstance
 * until its server accepts connections again; running → {@code available}; empty,
 * initializing, cloning → {@code creating}; starting → {@code starting}; stopped or unreachable
 * (its agent is down) → {@code stopped}; while the cluster is {@code failing-over}, a starting,
 * stopped or unreachable instance is {@code rebooting}, as RDS shows the instances of a failover.
 */
public final class RdsShapes {
    public static final String ACCOUNT = "000000000000";
    public static final String ENGINE = "postgres";
    /** Multi-AZ DB clusters store on io1, io2 or gp3; multiaz reports gp3 (local disks, no provisioned IOPS). */
    public static final String STORAGE_TYPE = "gp3";

    private RdsShapes() {
    }

    /** The {@code Status} of {@code d}, as the class comment says. */
    public static String clusterStatus(ClusterDescription d) {
        ClusterReport r = d.report();
        if (d.spec().rds().deleting()) {
            return "deleting";
        }
        if (d.spec().instances().isEmpty()) {
            return "available";
        }
        if (!d.bootstrapped() || d.spec().rds().multiAzForm() && r.epoch() <= 1
                && r.members().stream().anyMatch(m -> creating(m.state()))) {
            return "creating";
        }
        return r.request() != null || r.leader() == null ? "failing-over" : "available";
    }

    private static boolean creating(ServerState state) {
        return state == ServerState.EMPTY || state == ServerState.INITIALIZING || state == ServerState.CLONING;
    }

    /** The {@code DBInstanceStatus} of {@code m} of {@code d}, as the class comment says. */
    public static String instanceStatus(ClusterDescription d, ClusterReport.Member m) {
        if (d.spec().rds().deleting() || d.spec().instance(m.name()).isEmpty()) {
            return "deleting";
        }
        ClusterReport report = d.report();
        if (m.restarting()) {
            return "rebooting";
        }
        boolean changing = report.request() != null || report.leader() == null;
        return switch (m.state()) {
            case RUNNING -> "available";
            case EMPTY, INITIALIZING, CLONING -> "creating";
            case STARTING -> changing ? "rebooting" : "starting";
            case STOPPED, UNREACHABLE -> changing && d.bootstrapped() ? "rebooting" : !d.bootstrapped() ? "creating"
                    : "stopped";
        };
    }

    /** The class of instance {@code name} of {@code d}: its own, else the cluster's, else the default. */
    public static String instanceClass(ClusterDescription d, String name) {
        return d.spec().instance(name).or(() -> d.spec().rds().retiring().stream()
                        .filter(i -> i.name().equals(name)).findFirst())
                .map(i -> i.instanceClass()).filter(java.util.Objects::nonNull)
                .orElse(d.spec().rds().instanceClass() != null ? d.spec().rds().instanceClass()
                        : InstanceClasses.DEFAULT);
    }

    /** The name of {@code d}'s DB cluster parameter group: its own, else the engine's default one. */
    public static String parameterGroup(ClusterDescription d) {
        return d.spec().rds().parameterGroup() != null ? d.spec().rds().parameterGroup()
                : "default." + ENGINE + majorVersion(d.engineVersion());
    }

    public static String clusterArn(String region, String cluster) {
        return arn(region, "cluster", cluster);
    }

    public static String clusterSnapshotArn(String region, String snapshot) {
        return arn(region, "cluster-snapshot", snapshot);
    }

    public static String instanceArn(String region, String instance) {
        return arn(region, "db", instance);
    }

    /** An RDS ARN: {@code arn:aws:rds:<region>:<account>:<type>:<name>} (types cluster, db, subgrp, cluster-pg, cluster-snapshot). */
    static String arn(String region, String type, String name) {
        return "arn:aws:rds:" + region + ":" + ACCOUNT + ":" + type + ":" + name;
    }

    /** {@code 15} of {@code 15.14}. */
    public static String majorVersion(String engineVersion) {
        int dot = engineVersion.indexOf('.');
        return dot < 0 ? engineVersion : engineVersion.substring(0, dot);
    }

    /** The content of one {@code <DBCluster>} with the cluster's {@code tags}. */
    public static void writeCluster(RdsXml.Element e, ClusterDescription d, Map<String, String> tags) {
        ClusterReport r = d.report();
        DbClusterSettings rds = d.spec().rds();
        List<String> zones = d.spec().instances().stream().map(i -> i.az()).distinct().sorted().toList();
        e.strings("AvailabilityZones", "AvailabilityZone", zones)
                .number("BackupRetentionPeriod", rds.backupRetentionPeriod())
                .text("DatabaseName", d.spec().databaseName())
                .text("DBClusterIdentifier", d.name())
                .text("DBClusterParameterGroup", parameterGroup(d))
                .text("DBSubnetGroup", rds.subnetGroup() != null ? rds.subnetGroup() : "default")
                .text("Status", clusterStatus(d))
                .time("EarliestRestorableTime", d.backups() == null ? null : d.backups().earliestRestorableTime())
                .text("Endpoint", d.writerAddress())
                .text("ReaderEndpoint", d.readerAddress())
                .bool("MultiAZ", true)
                .text("Engine", ENGINE)
                .text("EngineVersion", d.engineVersion())
                .time("LatestRestorableTime", d.backups() == null ? null : d.backups().latestRestorableTime())
                .number("Port", d.port())
                .text("MasterUsername", d.spec().credentials().masterUser())
                .text("PreferredBackupWindow", rds.preferredBackupWindow())
                .text("PreferredMaintenanceWindow", rds.preferredMaintenanceWindow())
                .list("DBClusterMembers", "DBClusterMember", r.members(), (m, member) -> m
                        .text("DBInstanceIdentifier", member.name())
                        .bool("IsClusterWriter", member.name().equals(r.leader()) && member.role() == Role.WRITER)
                        .text("DBClusterParameterGroupStatus", member.pendingRestart() ? "pending-reboot" : "in-sync")
                        .number("PromotionTier", 1))
                .bool("StorageEncrypted", false)
                .text("DBClusterArn", clusterArn(d.region(), d.name()))
                .time("ClusterCreateTime", d.createTime())
                .text("EngineMode", "provisioned")
                .bool("DeletionProtection", rds.deletionProtection())
                .list("TagList", "Tag", tags.entrySet(), RdsShapes::writeTag)
                .text("DBClusterInstanceClass", rds.multiAzForm() ? rds.instanceClass()
                        : rds.createdAt() == null ? InstanceClasses.DEFAULT : null)
                .text("StorageType", STORAGE_TYPE)
                .bool("PubliclyAccessible", false)
                .bool("AutoMinorVersionUpgrade", true)
                .text("NetworkType", "IPV4");
    }

    /** The content of one {@code <DBInstance>} for member {@code m} of {@code d}, with its {@code tags}. */
    public static void writeInstance(RdsXml.Element e, ClusterDescription d, ClusterReport.Member m,
                                     Map<String, String> tags) {
        DbClusterSettings rds = d.spec().rds();
        String address = d.instanceAddresses().get(m.name());
        e.text("DBInstanceIdentifier", m.name())
                .text("DBInstanceClass", instanceClass(d, m.name()))
                .text("Engine", ENGINE)
                .text("DBInstanceStatus", instanceStatus(d, m))
                .text("MasterUsername", d.spec().credentials().masterUser())
                .text("DBName", d.spec().databaseName())
                .element("Endpoint", address == null ? null : ep -> ep
                        .text("Address", address)
                        .number("Port", d.port()))
                .text("PreferredBackupWindow", rds.preferredBackupWindow())
                .number("BackupRetentionPeriod", rds.backupRetentionPeriod())
                .text("AvailabilityZone", m.az())
                .text("PreferredMaintenanceWindow", rds.preferredMaintenanceWindow())
                // each instance of a Multi-AZ DB cluster is itself a single-AZ instance; the cluster is Multi-AZ
                .bool("MultiAZ", false)
                .text("EngineVersion", d.engineVersion())
                .bool("AutoMinorVersionUpgrade", true)
                .text("LicenseModel", "postgresql-license")
                .bool("PubliclyAccessible", false)
                .text("StorageType", STORAGE_TYPE)
                .number("DbInstancePort", 0)
                .text("DBClusterIdentifier", d.name())
                .bool("StorageEncrypted", false)
                .number("PromotionTier", 1)
                .text("DBInstanceArn", instanceArn(d.region(), m.name()))
                .time("InstanceCreateTime", rds.createdAt() != null ? rds.createdAt() : d.createTime())
                .bool("DeletionProtection", false)
                .list("TagList", "Tag", tags.entrySet(), RdsShapes::writeTag);
    }

    /**
     * The content of one {@code <DBClusterSnapshot>}. Fixed values as for clusters: no VPC, no
     * encryption, no IAM authentication, no tags (final snapshots do not copy the cluster's).
     */
    public static void writeClusterSnapshot(RdsXml.Element e, DbClusterSnapshot s, String region) {
        e.strings("AvailabilityZones", "AvailabilityZone", s.availabilityZones())
                .text("DBClusterSnapshotIdentifier", s.identifier())
                .text("DBClusterIdentifier", s.clusterIdentifier())
                .time("SnapshotCreateTime", s.snapshotCreateTime())
                .text("Engine", s.engine())
                .text("EngineMode", "provisioned")
                .number("AllocatedStorage", s.allocatedStorage())
                .text("Status", s.status())
                .number("Port", s.port())
                .time("ClusterCreateTime", s.clusterCreateTime())
                .text("MasterUsername", s.masterUsername())
                .text("EngineVersion", s.engineVersion())
                .text("LicenseModel", "postgresql-license")
                .text("SnapshotType", s.snapshotType())
                .number("PercentProgress", s.percent())
                .bool("StorageEncrypted", false)
                .text("DBClusterSnapshotArn", clusterSnapshotArn(region, s.identifier()))
                .bool("IAMDatabaseAuthenticationEnabled", false)
                .list("TagList", "Tag", List.<Map.Entry<String, String>>of(), RdsShapes::writeTag)
                .text("StorageType", STORAGE_TYPE);
    }

    /** {@code <TagList><Tag><Key>…</Key><Value>…</Value></Tag>…</TagList>}. */
    public static void writeTags(RdsXml.Element e, Map<String, String> tags) {
        e.list("TagList", "Tag", tags.entrySet(), RdsShapes::writeTag);
    }

    private static void writeTag(RdsXml.Element t, Map.Entry<String, String> tag) {
        t.text("Key", tag.getKey()).text("Value", tag.getValue());
    }

    /** The content of the one {@code <DBEngineVersion>} multiaz runs. */
    public static void writeEngineVersion(RdsXml.Element e, String engineVersion) {
        e.text("Engine", ENGINE)
                .text("EngineVersion", engineVersion)
                .text("DBParameterGroupFamily", ENGINE + majorVersion(engineVersion))
                .text("DBEngineDescription", "PostgreSQL")
                .text("DBEngineVersionDescription", "PostgreSQL " + engineVersion)
                .text("MajorEngineVersion", majorVersion(engineVersion))
                .text("Status", "available")
                .bool("SupportsReadReplica", true)
                .strings("SupportedEngineModes", "member", List.of("provisioned"));
    }
}
