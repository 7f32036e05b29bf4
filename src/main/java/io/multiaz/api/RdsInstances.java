package io.multiaz.api;

import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.RdsRecords;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.multiaz.api.RdsChecks.combination;
import static io.multiaz.api.RdsChecks.invalid;

/**
 * The DB instances of DB clusters: CreateDBInstance, DeleteDBInstance, RebootDBInstance and
 * DescribeOrderableDBInstanceOptions. Each call checks its whole input in RDS's words before it
 * writes anything; the agents' reconcilers then build or remove what the spec says.
 *
 * <p>Only clusters of the Aurora form (created without {@code DBClusterInstanceClass}, see
 * {@link RdsClusters}) take instances one by one, each in the zone asked for or the one with the
 * fewest of the cluster's instances; a Multi-AZ DB cluster's instances come and go with it.
 * Stateless; safe for concurrent requests.
 */
final class RdsInstances {
    /** The most instances a cluster's endpoint block has addresses for. */
    static final int MAX_INSTANCES = 13;

    private final RdsBackend backend;
    private final RdsRecords records;
    private final RdsActions actions;
    private final Clock clock;

    RdsInstances(RdsBackend backend, RdsRecords records, RdsActions actions, Clock clock) {
        this.backend = backend;
        this.records = records;
        this.actions = actions;
        this.clock = clock;
    }

    String createInstance(QueryRequest q, String requestId) {
        String name = RdsChecks.identifier(q.string("DBInstanceIdentifier"), "DBInstanceIdentifier");
        String instanceClass = InstanceClasses.require(q.string("DBInstanceClass"), "DBInstanceClass").name();
        RdsChecks.engine(q, backend);
        String clusterId = q.optionalString("DBClusterIdentifier").orElseThrow(() -> combination("multiaz runs DB"
                + " instances only inside DB clusters: give DBClusterIdentifier (create the cluster with"
                + " CreateDBCluster first)."));
        for (String own : List.of("MasterUsername", "MasterUserPassword", "DBName", "AllocatedStorage",
                "DBParameterGroupName", "BackupRetentionPeriod")) {
            if (q.has(own)) {
                throw combination("The parameter " + own + " belongs to the DB cluster, not to an instance of"
                        + " it; set it on the cluster (CreateDBCluster or ModifyDBCluster).");
            }
        }
        if (q.optionalBool("MultiAZ").orElse(false)) {
            throw combination("An instance of a DB cluster is a single-AZ instance; the cluster is Multi-AZ."
                    + " Leave MultiAZ out.");
        }
        Optional<String> zone = q.optionalString("AvailabilityZone");
        zone.ifPresent(z -> {
            if (!backend.zones().contains(z)) {
                throw invalid("AvailabilityZone " + z + " is not one of this deployment's: " + backend.zones() + ".");
            }
        });
        Map<String, String> tags = RdsTags.parse(q);
        ClusterDescription d = actions.cluster(clusterId);
        if (d.spec().rds().multiAzForm() || d.spec().rds().createdAt() == null) {
            throw combination("DB cluster " + d.name() + " is a Multi-AZ DB cluster, whose instances come with it;"
                    + " CreateDBInstance adds instances to clusters created without DBClusterInstanceClass.");
        }
        if (RdsActions.findInstance(backend, name).isPresent()) {
            throw new ApiException(RdsFault.DB_INSTANCE_ALREADY_EXISTS, "DB instance already exists: " + name + ".");
        }
        List<String> allowed = RdsChecks.zones(backend, List.of(), d.spec().rds().subnetGroup() == null ? Optional.empty()
                : records.subnetGroups().get(d.spec().rds().subnetGroup()));
        if (zone.isPresent() && !allowed.contains(zone.get())) {
            throw invalid("AvailabilityZone " + zone.get() + " is not in the DB subnet group of " + d.name()
                    + ", which covers " + allowed + ".");
        }
        records.clusters().update(d.name(), s -> {
            if (s.rds().deleting()) {
                throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name()
                        + " is being deleted.");
            }
            if (s.instance(name).isPresent()) {
                throw new ApiException(RdsFault.DB_INSTANCE_ALREADY_EXISTS, "DB instance already exists: " + name);
            }
            Set<Integer> used = new LinkedHashSet<>();
            s.instances().forEach(i -> used.add(s.ordinal(i)));
            s.rds().retiring().forEach(i -> used.add(i.ordinal() == null ? -1 : i.ordinal()));
            int ordinal = 0;
            while (used.contains(ordinal)) {
                ordinal++;
            }
            if (ordinal >= MAX_INSTANCES) {
                throw new ApiException(RdsFault.INSTANCE_QUOTA_EXCEEDED, "DB cluster " + d.name() + " has "
                        + s.instances().size() + " instances, the most a cluster has endpoints for ("
                        + MAX_INSTANCES + ").");
            }
            String az = zone.orElseGet(() -> leastUsedZone(s, allowed));
            List<InstanceSpec> next = new ArrayList<>(s.instances());
            next.add(backend.place(s.rds().slot(), ordinal, name, az, instanceClass));
            return s.withInstances(next);
        }).orElseThrow(() -> RdsActions.clusterNotFound(clusterId));
        if (!tags.isEmpty()) {
            records.tags().update(d.name(), "db:" + name, t -> tags);
        }
        records.events().appendEvent(d.name(), new ClusterEvent(clock.instant(), name, EventType.INSTANCE_CREATED,
                "DB instance created"));
        return instanceResult(q, requestId, name);
    }

    String deleteInstance(QueryRequest q, String requestId) {
        RdsActions.InstanceRow row = actions.instance(q.string("DBInstanceIdentifier"));
        ClusterDescription d = row.cluster();
        String name = row.member().name();
        if (q.has("FinalDBSnapshotIdentifier")) {
            throw combination("An instance of a DB cluster has no snapshots of its own; snapshots are of the"
                    + " cluster. Leave FinalDBSnapshotIdentifier out.");
        }
        if (d.spec().instance(name).isEmpty()) {
            throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "DB instance " + name
                    + " is already being deleted; wait for it with aws rds wait db-instance-deleted.");
        }
        if (d.spec().rds().multiAzForm() || d.spec().rds().createdAt() == null) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB instance " + name + " belongs to the"
                    + " Multi-AZ DB cluster " + d.name() + ", whose instances cannot be deleted one by one;"
                    + " delete the cluster with DeleteDBCluster.");
        }
        records.clusters().update(d.name(), s -> {
            InstanceSpec gone = s.instance(name).orElseThrow(() -> new ApiException(
                    RdsFault.INVALID_DB_INSTANCE_STATE, "DB instance " + name + " is already being deleted."));
            List<InstanceSpec> retiring = new ArrayList<>(s.rds().retiring());
            retiring.add(gone);
            List<InstanceSpec> rest = s.instances().stream().filter(i -> !i.name().equals(name)).toList();
            return s.withInstances(rest).withRds(s.rds().withRetiring(retiring));
        }).orElseThrow(() -> RdsActions.clusterNotFound(d.name()));
        records.events().appendEvent(d.name(), new ClusterEvent(clock.instant(), name, EventType.INSTANCE_DELETING,
                "DB instance deletion started"));
        return instanceResult(q, requestId, name);
    }

    String rebootInstance(QueryRequest q, String requestId) {
        RdsActions.InstanceRow row = actions.instance(q.string("DBInstanceIdentifier"));
        if (q.optionalBool("ForceFailover").orElse(false)) {
            throw combination("ForceFailover is not supported for instances of a DB cluster; use"
                    + " FailoverDBCluster to change the writer.");
        }
        String status = RdsShapes.instanceStatus(row.cluster(), row.member());
        if (!status.equals("available")) {
            throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "DB instance " + row.member().name()
                    + " is " + status + ", not available; wait for it (aws rds wait db-instance-available).");
        }
        backend.reboot(row.cluster().name(), row.member().name());
        records.events().appendEvent(row.cluster().name(), new ClusterEvent(clock.instant(), row.member().name(),
                EventType.INSTANCE_REBOOTING, "DB instance restart requested"));
        return instanceResult(q, requestId, row.member().name());
    }

    String describeOrderable(QueryRequest q, String requestId) {
        String engine = q.string("Engine");
        int offset = RdsActions.page(q);
        int max = RdsActions.maxRecords(q, 100);
        Optional<String> version = q.optionalString("EngineVersion");
        Optional<String> wantedClass = q.optionalString("DBInstanceClass");
        String installed = backend.engineVersion();
        boolean engineMatches = engine.equals(RdsShapes.ENGINE) && version.map(v -> v.equals(installed)
                || v.equals(RdsShapes.majorVersion(installed))).orElse(true);
        List<InstanceClasses.InstanceClass> classes = !engineMatches ? List.of() : InstanceClasses.all().stream()
                .filter(c -> wantedClass.map(c.name()::equals).orElse(true)).toList();
        int from = Math.min(offset, classes.size());
        int to = Math.min(from + max, classes.size());
        List<InstanceClasses.InstanceClass> page = classes.subList(from, to);
        String next = to < classes.size() ? Integer.toString(to) : null;
        List<String> zones = backend.zones();
        return RdsXml.success(q.action(), requestId, result -> result
                .list("OrderableDBInstanceOptions", "OrderableDBInstanceOption", page, (e, c) -> e
                        .text("Engine", RdsShapes.ENGINE)
                        .text("EngineVersion", installed)
                        .text("DBInstanceClass", c.name())
                        .text("LicenseModel", "postgresql-license")
                        .list("AvailabilityZones", "AvailabilityZone", zones, (z, az) -> z.text("Name", az))
                        .bool("MultiAZCapable", true)
                        .bool("ReadReplicaCapable", true)
                        .bool("Vpc", true)
                        .bool("SupportsStorageEncryption", false)
                        .text("StorageType", RdsShapes.STORAGE_TYPE)
                        .bool("SupportsIops", false)
                        .bool("SupportsEnhancedMonitoring", false)
                        .bool("SupportsIAMDatabaseAuthentication", false)
                        .bool("SupportsPerformanceInsights", false)
                        .strings("SupportedEngineModes", "member", List.of("provisioned"))
                        .bool("SupportsClusters", true)
                        .strings("SupportedNetworkTypes", "member", List.of("IPV4")))
                .text("Marker", next));
    }

    private String instanceResult(QueryRequest q, String requestId, String name) {
        RdsActions.InstanceRow row = actions.instance(name);
        Map<String, String> tags = records.tags().get(row.cluster().name(), "db:" + name);
        return RdsXml.success(q.action(), requestId, result -> result.element("DBInstance",
                e -> RdsShapes.writeInstance(e, row.cluster(), row.member(), tags)));
    }

    /** The zone of {@code allowed} with the fewest of {@code s}'s instances (the first of equals). */
    private static String leastUsedZone(ClusterSpec s, List<String> allowed) {
        return allowed.stream().min(Comparator.comparingLong(z -> s.instances().stream()
                .filter(i -> i.az().equals(z)).count())).orElseThrow();
    }
}
