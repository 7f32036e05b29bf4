package io.multiaz.api;

import io.multiaz.model.ClusterReport;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.ClusterEvents;
import io.multiaz.store.RdsRecords;
import io.multiaz.store.StoreException;

import java.time.Clock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The RDS actions multiaz answers so far, each turned into its XML answer: validation in RDS's
 * words first, then the calls of the {@link RdsBackend} and the {@link RdsRecords} it needs. A
 * store failure anywhere is answered {@code ServiceUnavailable} ({@link StoreCalls}). Stateless;
 * safe for concurrent requests.
 */
public final class RdsActions {
    public static final Set<String> SUPPORTED = Set.of("DescribeDBClusters", "DescribeDBInstances",
            "FailoverDBCluster", "DescribeDBEngineVersions", "DescribeEvents", "AddTagsToResource",
            "ListTagsForResource", "RemoveTagsFromResource", "CreateDBSubnetGroup", "DescribeDBSubnetGroups",
            "DeleteDBSubnetGroup", "CreateDBClusterParameterGroup", "DescribeDBClusterParameterGroups",
            "ModifyDBClusterParameterGroup", "ResetDBClusterParameterGroup", "DeleteDBClusterParameterGroup",
            "DescribeDBClusterParameters", "CreateDBCluster", "ModifyDBCluster", "DeleteDBCluster",
            "CreateDBInstance", "DeleteDBInstance", "RebootDBInstance", "DescribeOrderableDBInstanceOptions",
            "DescribeDBClusterSnapshots", "DeleteDBClusterSnapshot", "CreateDBClusterSnapshot");
    private static final Set<String> CLUSTER_FILTERS = Set.of("db-cluster-id", "engine");
    private static final Set<String> INSTANCE_FILTERS = Set.of("db-cluster-id", "db-instance-id", "engine",
            "db-instance-class");

    private final RdsBackend backend;
    private final RdsRecords records;
    private final Clock clock;
    private final RdsTags tags;
    private final RdsSubnetGroups subnetGroups;
    private final RdsParameterGroups parameterGroups;
    private final RdsClusters clusters;
    private final RdsInstances instances;
    private final RdsClusterSnapshots snapshots;

    /**
     * Actions over {@code backend} and {@code records}; {@code clock} is "now" for DescribeEvents'
     * window and new records.
     */
    public RdsActions(RdsBackend backend, RdsRecords records, Clock clock) {
        this.backend = backend;
        this.records = records;
        this.clock = clock;
        this.tags = new RdsTags(backend, records.tags());
        this.subnetGroups = new RdsSubnetGroups(backend, records.subnetGroups(), clock);
        this.parameterGroups = new RdsParameterGroups(backend, records.parameterGroups(), clock);
        this.snapshots = new RdsClusterSnapshots(backend, records.clusterSnapshots(), clock);
        this.clusters = new RdsClusters(backend, records, this, parameterGroups, snapshots, clock);
        this.instances = new RdsInstances(backend, records, this, clock);
    }

    /** The XML answer to {@code q} (one of {@link #SUPPORTED}); throws {@link ApiException} for a refusal. */
    public String answer(QueryRequest q, String requestId) {
        try {
            return dispatch(q, requestId);
        } catch (StoreException e) {
            throw StoreCalls.unavailable(e);
        }
    }

    private String dispatch(QueryRequest q, String requestId) {
        return switch (q.action()) {
            case "DescribeDBClusters" -> describeClusters(q, requestId);
            case "DescribeDBInstances" -> describeInstances(q, requestId);
            case "FailoverDBCluster" -> failover(q, requestId);
            case "DescribeDBEngineVersions" -> describeEngineVersions(q, requestId);
            case "DescribeEvents" -> describeEvents(q, requestId);
            case "AddTagsToResource" -> tags.add(q, requestId);
            case "ListTagsForResource" -> tags.list(q, requestId);
            case "RemoveTagsFromResource" -> tags.remove(q, requestId);
            case "CreateDBSubnetGroup" -> subnetGroups.create(q, requestId);
            case "DescribeDBSubnetGroups" -> subnetGroups.describe(q, requestId);
            case "DeleteDBSubnetGroup" -> subnetGroups.delete(q, requestId);
            case "CreateDBClusterParameterGroup" -> parameterGroups.create(q, requestId);
            case "DescribeDBClusterParameterGroups" -> parameterGroups.describe(q, requestId);
            case "ModifyDBClusterParameterGroup" -> parameterGroups.modify(q, requestId);
            case "ResetDBClusterParameterGroup" -> parameterGroups.reset(q, requestId);
            case "DeleteDBClusterParameterGroup" -> parameterGroups.delete(q, requestId);
            case "DescribeDBClusterParameters" -> parameterGroups.describeParameters(q, requestId);
            case "CreateDBCluster" -> clusters.createCluster(q, requestId);
            case "ModifyDBCluster" -> clusters.modifyCluster(q, requestId);
            case "DeleteDBCluster" -> clusters.deleteCluster(q, requestId);
            case "CreateDBInstance" -> instances.createInstance(q, requestId);
            case "DeleteDBInstance" -> instances.deleteInstance(q, requestId);
            case "RebootDBInstance" -> instances.rebootInstance(q, requestId);
            case "DescribeOrderableDBInstanceOptions" -> instances.describeOrderable(q, requestId);
            case "DescribeDBClusterSnapshots" -> snapshots.describe(q, requestId);
            case "DeleteDBClusterSnapshot" -> snapshots.delete(q, requestId);
            case "CreateDBClusterSnapshot" -> snapshots.create(q, requestId, cluster(q.string("DBClusterIdentifier")));
            default -> throw new ApiException(RdsFault.INVALID_ACTION, q.action()
                    + " is an RDS action multiaz does not support yet; supported: " + sorted(SUPPORTED) + ".");
        };
    }

    private String describeClusters(QueryRequest q, String requestId) {
        int offset = page(q);
        int max = maxRecords(q, 100);
        Optional<String> id = q.optionalString("DBClusterIdentifier");
        List<ClusterDescription> all = id.isPresent() ? List.of(cluster(id.get())) : backend.clusters();
        List<ClusterDescription> matching = all.stream()
                .filter(d -> matches(q.filters(), CLUSTER_FILTERS, d, null)).toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + max, matching.size());
        List<ClusterDescription> page = matching.subList(from, to);
        Map<String, Map<String, String>> clusterTags = new HashMap<>();
        page.forEach(d -> clusterTags.put(d.name(), records.tags().get(d.name(), "cluster")));
        String next = to < matching.size() ? Integer.toString(to) : null;
        return RdsXml.success(q.action(), requestId, result -> result
                .text("Marker", next)
                .list("DBClusters", "DBCluster", page,
                        (e, c) -> RdsShapes.writeCluster(e, c, clusterTags.get(c.name()))));
    }

    /** One instance row of DescribeDBInstances: the member and the cluster it belongs to. */
    record InstanceRow(ClusterDescription cluster, ClusterReport.Member member) {
    }

    /** Every instance of {@code d}: its members, then the ones being deleted. */
    static List<InstanceRow> rows(ClusterDescription d) {
        List<InstanceRow> rows = new ArrayList<>();
        d.report().members().forEach(m -> rows.add(new InstanceRow(d, m)));
        for (InstanceSpec i : d.spec().rds().retiring()) {
            rows.add(new InstanceRow(d, new ClusterReport.Member(i.name(), i.az(), i.host(), i.port(),
                    io.multiaz.model.Role.UNKNOWN, io.multiaz.model.ServerState.STOPPED, 0, io.multiaz.model.Lsn.ZERO,
                    io.multiaz.model.Lsn.ZERO, -1, "", null, false, "being deleted", 0, 0, null, false, false)));
        }
        return rows;
    }

    /** The row of instance {@code id} (name or ARN), in whichever cluster holds it. */
    InstanceRow instance(String id) {
        return findInstance(backend, instanceName(id))
                .orElseThrow(() -> new ApiException(RdsFault.DB_INSTANCE_NOT_FOUND, "DBInstance " + id + " not found."));
    }

    /** The row of the instance named {@code name} (lower case), in whichever cluster of {@code backend} holds it. */
    static Optional<InstanceRow> findInstance(RdsBackend backend, String name) {
        return backend.clusters().stream().flatMap(d -> rows(d).stream())
                .filter(r -> r.member().name().equals(name)).findFirst();
    }

    private String instanceName(String id) {
        String prefix = RdsShapes.instanceArn(backend.region(), "");
        return (id.startsWith(prefix) ? id.substring(prefix.length()) : id).toLowerCase(Locale.ROOT);
    }

    private String describeInstances(QueryRequest q, String requestId) {
        int offset = page(q);
        int max = maxRecords(q, 100);
        Optional<String> id = q.optionalString("DBInstanceIdentifier");
        List<InstanceRow> rows = id.isPresent() ? List.of(instance(id.get()))
                : backend.clusters().stream().flatMap(d -> rows(d).stream()).toList();
        List<InstanceRow> matching = rows.stream()
                .filter(r -> matches(q.filters(), INSTANCE_FILTERS, r.cluster(), r.member().name())).toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + max, matching.size());
        List<InstanceRow> page = matching.subList(from, to);
        Map<String, Map<String, String>> instanceTags = new HashMap<>();
        page.forEach(r -> instanceTags.put(r.member().name(),
                records.tags().get(r.cluster().name(), "db:" + r.member().name())));
        String next = to < matching.size() ? Integer.toString(to) : null;
        return RdsXml.success(q.action(), requestId, result -> result
                .text("Marker", next)
                .list("DBInstances", "DBInstance", page, (e, r) -> RdsShapes.writeInstance(e, r.cluster(), r.member(),
                        instanceTags.get(r.member().name()))));
    }

    private String failover(QueryRequest q, String requestId) {
        ClusterDescription d = cluster(q.string("DBClusterIdentifier"));
        Optional<String> target = q.optionalString("TargetDBInstanceIdentifier").map(this::instanceName);
        if (target.isPresent() && d.spec().instance(target.get()).isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The target DB instance " + target.get()
                    + " is not a member of DB cluster " + d.name() + "; members: "
                    + d.spec().instances().stream().map(i -> i.name()).toList() + ".");
        }
        String status = RdsShapes.clusterStatus(d);
        if (!status.equals("available")) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name() + " is " + status
                    + ", not available; wait for it (aws rds wait db-cluster-available) and try again.");
        }
        ClusterDescription after = backend.switchover(d.name(), target.orElse(null));
        Map<String, String> clusterTags = records.tags().get(d.name(), "cluster");
        return RdsXml.success(q.action(), requestId, result -> result.element("DBCluster",
                e -> RdsShapes.writeCluster(e, after, clusterTags)));
    }

    private String describeEngineVersions(QueryRequest q, String requestId) {
        page(q);
        String version = backend.engineVersion();
        boolean match = q.optionalString("Engine").map(RdsShapes.ENGINE::equals).orElse(true)
                && q.optionalString("EngineVersion").map(v -> v.equals(version)
                || v.equals(RdsShapes.majorVersion(version))).orElse(true)
                && q.optionalString("DBParameterGroupFamily")
                .map(f -> f.equals(RdsShapes.ENGINE + RdsShapes.majorVersion(version))).orElse(true);
        List<String> versions = match ? List.of(version) : List.of();
        return RdsXml.success(q.action(), requestId, result -> result.list("DBEngineVersions", "DBEngineVersion",
                versions, RdsShapes::writeEngineVersion));
    }

    private String describeEvents(QueryRequest q, String requestId) {
        Map<String, List<io.multiaz.model.ClusterEvent>> events = new java.util.TreeMap<>();
        backend.clusters().forEach(d -> events.put(d.name(),
                records.events().events(d.name(), ClusterEvents.DEFAULT_EVENTS_KEPT)));
        return RdsEvents.answer(q, requestId, events, backend.region(), clock);
    }

    /**
     * The cluster {@code id} (identifier, any case, or ARN) names; InvalidParameterValue when it is not
     * an identifier (the name would not even be a path in the store), DBClusterNotFoundFault when no
     * cluster has it.
     */
    ClusterDescription cluster(String id) {
        String prefix = RdsShapes.clusterArn(backend.region(), "");
        String name = id.startsWith(prefix) ? id.substring(prefix.length()) : id;
        // issue 21: '.', '/' or characters ZooKeeper refuses in a path reached the store and failed there (500)
        return backend.cluster(RdsChecks.identifier(name, "DBClusterIdentifier")).orElseThrow(() -> clusterNotFound(id));
    }

    /** Checks MaxRecords (20-100, as RDS) and returns the offset the Marker names (0 without one). */
    static int page(QueryRequest q) {
        maxRecords(q, 100);
        Optional<String> marker = q.optionalString("Marker");
        if (marker.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(marker.get());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below: a marker multiaz did not hand out
        }
        throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The marker " + marker.get() + " is not one this "
                + "service returned; call again without Marker to start from the first page.");
    }

    /** MaxRecords (20-100, as RDS), {@code otherwise} when absent. */
    static int maxRecords(QueryRequest q, int otherwise) {
        OptionalInt max = q.optionalInteger("MaxRecords");
        if (max.isPresent() && (max.getAsInt() < 20 || max.getAsInt() > 100)) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid value " + max.getAsInt()
                    + " for MaxRecords. Must be between 20 and 100.");
        }
        return max.orElse(otherwise);
    }

    /** Whether {@code d} (or its instance {@code instance}) passes every filter; unknown names are refused. */
    private static boolean matches(List<QueryRequest.Filter> filters, Set<String> known, ClusterDescription d,
                                   String instance) {
        for (QueryRequest.Filter f : filters) {
            if (!known.contains(f.name())) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Unrecognized filter name: " + f.name()
                        + ". Filters supported here: " + sorted(known) + ".");
            }
            boolean any = f.values().stream().anyMatch(v -> switch (f.name()) {
                case "db-cluster-id" -> names(d, v);
                case "db-instance-class" -> instance != null && v.equals(RdsShapes.instanceClass(d, instance));
                case "db-instance-id" -> v.equals(instance) || v.equals(RdsShapes.instanceArn(d.region(), instance));
                default -> v.equals(RdsShapes.ENGINE);
            });
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code id} names {@code d}, by identifier (case-insensitive, as RDS) or ARN. */
    private static boolean names(ClusterDescription d, String id) {
        return id.equalsIgnoreCase(d.name()) || id.equals(RdsShapes.clusterArn(d.region(), d.name()));
    }

    static ApiException clusterNotFound(String id) {
        return new ApiException(RdsFault.DB_CLUSTER_NOT_FOUND, "DBCluster " + id + " not found.");
    }

    private static String sorted(Set<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", "));
    }
}
