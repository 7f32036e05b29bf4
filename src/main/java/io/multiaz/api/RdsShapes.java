package io.multiaz.api;

import io.multiaz.agent.ClusterReport;
import io.multiaz.model.Role;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ClusterDescription} as the service model's {@code DBCluster}, {@code DBInstance}
 * and {@code DBEngineVersion}, with the fixed values multiaz reports where RDS has settings
 * multiaz does not have yet (README, "RDS API"). Stateless.
 *
 * <p>Cluster status: {@code failing-over} while a switchover or failover request is pending or no
 * writer holds the lease; otherwise {@code available}, also when a reader is down (RDS too keeps a
 * degraded Multi-AZ DB cluster {@code available}; the instance shows it). Instance status:
 * running → {@code available}; empty, initializing, cloning → {@code creating}; starting →
 * {@code starting}; stopped or unreachable (its agent is down) → {@code stopped}; while the cluster
 * is {@code failing-over}, a starting, stopped or unreachable instance is {@code rebooting}, as RDS
 * shows the instances of a failover.
 */
public final class RdsShapes {
    public static final String ACCOUNT = "000000000000";
    public static final String ENGINE = "postgres";
    /** The class RDS Multi-AZ DB clusters are most often made of; multiaz has no classes yet. */
    public static final String INSTANCE_CLASS = "db.m6gd.large";
    /** Multi-AZ DB clusters store on io1, io2 or gp3; multiaz reports gp3 (local disks, no provisioned IOPS). */
    public static final String STORAGE_TYPE = "gp3";
    public static final String BACKUP_WINDOW = "03:00-03:30";
    public static final String MAINTENANCE_WINDOW = "sun:05:00-sun:05:30";
    public static final int BACKUP_RETENTION_DAYS = 1;

    private RdsShapes() {
    }

    /** {@code failing-over} or {@code available}, as the class comment says. */
    public static String clusterStatus(ClusterReport report) {
        return report.request() != null || report.leader() == null ? "failing-over" : "available";
    }

    /** The {@code DBInstanceStatus} of {@code m}, as the class comment says. */
    public static String instanceStatus(ClusterReport report, ClusterReport.Member m) {
        boolean changing = report.request() != null || report.leader() == null;
        return switch (m.state()) {
            case RUNNING -> "available";
            case EMPTY, INITIALIZING, CLONING -> "creating";
            case STARTING -> changing ? "rebooting" : "starting";
            case STOPPED, UNREACHABLE -> changing ? "rebooting" : "stopped";
        };
    }

    public static String clusterArn(String region, String cluster) {
        return arn(region, "cluster", cluster);
    }

    public static String instanceArn(String region, String instance) {
        return arn(region, "db", instance);
    }

    /** An RDS ARN: {@code arn:aws:rds:<region>:<account>:<type>:<name>} (types cluster, db, subgrp, cluster-pg). */
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
        List<String> zones = d.spec().instances().stream().map(i -> i.az()).distinct().sorted().toList();
        e.strings("AvailabilityZones", "AvailabilityZone", zones)
                .number("BackupRetentionPeriod", BACKUP_RETENTION_DAYS)
                .text("DatabaseName", d.spec().databaseName())
                .text("DBClusterIdentifier", d.name())
                .text("DBClusterParameterGroup", "default." + ENGINE + majorVersion(d.engineVersion()))
                .text("Status", clusterStatus(r))
                .text("Endpoint", d.writerAddress())
                .text("ReaderEndpoint", d.readerAddress())
                .bool("MultiAZ", true)
                .text("Engine", ENGINE)
                .text("EngineVersion", d.engineVersion())
                .number("Port", d.port())
                .text("MasterUsername", d.spec().credentials().masterUser())
                .text("PreferredBackupWindow", BACKUP_WINDOW)
                .text("PreferredMaintenanceWindow", MAINTENANCE_WINDOW)
                .list("DBClusterMembers", "DBClusterMember", r.members(), (m, member) -> m
                        .text("DBInstanceIdentifier", member.name())
                        .bool("IsClusterWriter", member.name().equals(r.leader()) && member.role() == Role.WRITER)
                        .text("DBClusterParameterGroupStatus", "in-sync")
                        .number("PromotionTier", 1))
                .bool("StorageEncrypted", false)
                .text("DBClusterArn", clusterArn(d.region(), d.name()))
                .time("ClusterCreateTime", d.createTime())
                .text("EngineMode", "provisioned")
                .bool("DeletionProtection", false)
                .list("TagList", "Tag", tags.entrySet(), RdsShapes::writeTag)
                .text("DBClusterInstanceClass", INSTANCE_CLASS)
                .text("StorageType", STORAGE_TYPE)
                .bool("PubliclyAccessible", false)
                .bool("AutoMinorVersionUpgrade", true)
                .text("NetworkType", "IPV4");
    }

    /** The content of one {@code <DBInstance>} for member {@code m} of {@code d}, with its {@code tags}. */
    public static void writeInstance(RdsXml.Element e, ClusterDescription d, ClusterReport.Member m,
                                     Map<String, String> tags) {
        e.text("DBInstanceIdentifier", m.name())
                .text("DBInstanceClass", INSTANCE_CLASS)
                .text("Engine", ENGINE)
                .text("DBInstanceStatus", instanceStatus(d.report(), m))
                .text("MasterUsername", d.spec().credentials().masterUser())
                .text("DBName", d.spec().databaseName())
                .element("Endpoint", ep -> ep
                        .text("Address", d.instanceAddresses().get(m.name()))
                        .number("Port", d.port()))
                .text("PreferredBackupWindow", BACKUP_WINDOW)
                .number("BackupRetentionPeriod", BACKUP_RETENTION_DAYS)
                .text("AvailabilityZone", m.az())
                .text("PreferredMaintenanceWindow", MAINTENANCE_WINDOW)
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
                .bool("DeletionProtection", false)
                .list("TagList", "Tag", tags.entrySet(), RdsShapes::writeTag);
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
