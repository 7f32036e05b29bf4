package io.multiaz.model;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds of {@link ClusterEvent}, each with the name stored in the event's JSON and shown by
 * {@code multiaz events}, the RDS event category {@code DescribeEvents} files it under, and whether
 * it concerns the whole cluster (an RDS {@code db-cluster} event) rather than the instance it names.
 *
 * <p>The wire names are a stored format: never rename one. A name this version does not know (written
 * by a newer agent) reads as {@link #UNKNOWN}, so one event never makes the log unreadable.
 */
public enum EventType {
    // the HA loop of an instance
    BOOTSTRAP_STARTED("bootstrap-started", Category.CREATION),
    BOOTSTRAPPED("bootstrapped", Category.CREATION),
    CLONED("cloned", Category.CREATION),
    RECLONE_STARTED("reclone-started", Category.CREATION),
    FAILOVER_DETECTED("failover-detected", Category.FAILOVER),
    LEASE_ACQUIRED("lease-acquired", Category.FAILOVER),
    LEASE_RELEASED("lease-released", Category.FAILOVER),
    PROMOTED("promoted", Category.FAILOVER),
    DEMOTED("demoted", Category.FAILOVER),
    STEPPED_DOWN("stepped-down", Category.FAILOVER),
    REJOINED_BY_REWIND("rejoined-by-rewind", Category.RECOVERY),
    STARTED("started", Category.AVAILABILITY),
    REQUEST_ENDED("request-ended", Category.NOTIFICATION),
    ACTION_FAILED("action-failed", Category.FAILURE),
    PROMOTION_REFUSED("promotion-refused", Category.FAILURE),
    WRITER_START_REFUSED("writer-start-refused", Category.FAILURE),
    // the agent, for its instance's server
    PARAMETERS_APPLIED("parameters-applied", Category.NOTIFICATION),
    RESTARTED("restarted", Category.AVAILABILITY),
    // the operator, for the whole cluster
    SWITCHOVER_REQUESTED("switchover-requested", Category.FAILOVER, true),
    FAILOVER_REQUESTED("failover-requested", Category.FAILOVER, true),
    PAUSED("paused", Category.NOTIFICATION, true),
    RESUMED("resumed", Category.NOTIFICATION, true),
    // the RDS API
    CLUSTER_CREATED("cluster-created", Category.CREATION, true),
    CLUSTER_MODIFIED("cluster-modified", Category.CONFIGURATION_CHANGE, true),
    CLUSTER_DELETING("cluster-deleting", Category.DELETION, true),
    INSTANCE_CREATED("instance-created", Category.CREATION),
    INSTANCE_DELETING("instance-deleting", Category.DELETION),
    INSTANCE_REBOOTING("instance-rebooting", Category.AVAILABILITY),
    // the agent owning the cluster's backups
    ARCHIVING_FAILED("archiving-failed", Category.FAILURE, true),
    ARCHIVING_RESUMED("archiving-resumed", Category.NOTIFICATION, true),
    BACKUP_STARTED("backup-started", Category.BACKUP, true),
    BACKUP_COMPLETED("backup-completed", Category.BACKUP, true),
    BACKUP_FAILED("backup-failed", Category.FAILURE, true),
    SNAPSHOT_AVAILABLE("snapshot-available", Category.BACKUP, true),
    /** A stored name this version does not know. */
    UNKNOWN("unknown", Category.NOTIFICATION);

    /** The RDS event categories ({@code DescribeEvents} {@code EventCategories}) our events fall into. */
    public enum Category {
        AVAILABILITY("availability"), BACKUP("backup"), CONFIGURATION_CHANGE("configuration change"), CREATION("creation"),
        DELETION("deletion"), FAILOVER("failover"), FAILURE("failure"), NOTIFICATION("notification"),
        RECOVERY("recovery");

        private final String rdsName;

        Category(String rdsName) {
            this.rdsName = rdsName;
        }

        /** The category as RDS spells it, e.g. {@code configuration change}. */
        @Override
        public String toString() {
            return rdsName;
        }
    }

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::toString, Function.identity()));

    private final String wireName;
    private final Category category;
    private final boolean clusterWide;

    EventType(String wireName, Category category) {
        this(wireName, category, false);
    }

    EventType(String wireName, Category category, boolean clusterWide) {
        this.wireName = wireName;
        this.category = category;
        this.clusterWide = clusterWide;
    }

    /** The type stored as {@code wireName}; {@link #UNKNOWN} for a name this version does not know. */
    public static EventType of(String wireName) {
        java.util.Objects.requireNonNull(wireName, "wireName");
        return BY_WIRE_NAME.getOrDefault(wireName, UNKNOWN);
    }

    /** The request of an operator's change of writer of {@code kind}. */
    public static EventType requested(OperatorRequest.Kind kind) {
        return switch (kind) {
            case SWITCHOVER -> SWITCHOVER_REQUESTED;
            case FAILOVER -> FAILOVER_REQUESTED;
        };
    }

    public Category category() {
        return category;
    }

    /**
     * Whether the event concerns the whole cluster, even when it names an instance (the target of a
     * switchover): RDS shows it as an event of the cluster, not of that instance.
     */
    public boolean clusterWide() {
        return clusterWide;
    }

    /** The name in the stored JSON and in {@code multiaz events}, e.g. {@code promotion-refused}. */
    @Override
    public String toString() {
        return wireName;
    }
}
