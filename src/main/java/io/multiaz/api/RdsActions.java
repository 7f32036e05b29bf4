package io.multiaz.api;

import io.multiaz.agent.ClusterReport;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The RDS actions multiaz answers so far, each turned into its XML answer: validation in RDS's
 * words first, then one call of the {@link RdsBackend}. Stateless; safe for concurrent requests.
 */
public final class RdsActions {
    public static final Set<String> SUPPORTED = Set.of("DescribeDBClusters", "DescribeDBInstances",
            "FailoverDBCluster", "DescribeDBEngineVersions", "DescribeEvents", "AddTagsToResource",
            "ListTagsForResource", "RemoveTagsFromResource", "CreateDBSubnetGroup", "DescribeDBSubnetGroups",
            "DeleteDBSubnetGroup", "CreateDBClusterParameterGroup", "DescribeDBClusterParameterGroups",
            "ModifyDBClusterParameterGroup", "ResetDBClusterParameterGroup", "DeleteDBClusterParameterGroup",
            "DescribeDBClusterParameters");
    private static final Set<String> CLUSTER_FILTERS = Set.of("db-cluster-id", "engine");
    private static final Set<String> INSTANCE_FILTERS = Set.of("db-cluster-id", "db-instance-id", "engine");

    private final RdsBackend backend;
    private final Clock clock;
    private final RdsTags tags;
    private final RdsSubnetGroups subnetGroups;
    private final RdsParameterGroups parameterGroups;

    /** Actions over {@code backend}; {@code clock} is "now" for DescribeEvents' window and new records. */
    public RdsActions(RdsBackend backend, Clock clock) {
        this.backend = backend;
        this.clock = clock;
        this.tags = new RdsTags(backend);
        this.subnetGroups = new RdsSubnetGroups(backend, clock);
        this.parameterGroups = new RdsParameterGroups(backend, clock);
    }

    /** The XML answer to {@code q} (one of {@link #SUPPORTED}); throws {@link ApiException} for a refusal. */
    public String answer(QueryRequest q, String requestId) {
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
            default -> throw new ApiException(RdsFault.INVALID_ACTION, q.action()
                    + " is an RDS action multiaz does not support yet; supported: " + sorted(SUPPORTED) + ".");
        };
    }

    private String describeClusters(QueryRequest q, String requestId) {
        int offset = page(q);
        ClusterDescription d = backend.describe();
        Optional<String> id = q.optionalString("DBClusterIdentifier");
        if (id.isPresent() && !names(d, id.get())) {
            throw clusterNotFound(id.get());
        }
        boolean match = matches(q.filters(), CLUSTER_FILTERS, d, null);
        List<ClusterDescription> clusters = match && offset == 0 ? List.of(d) : List.of();
        Map<String, String> clusterTags = clusters.isEmpty() ? Map.of() : backend.tags(d.name(), "cluster");
        return RdsXml.success(q.action(), requestId, result -> result.list("DBClusters", "DBCluster", clusters,
                (e, c) -> RdsShapes.writeCluster(e, c, clusterTags)));
    }

    private String describeInstances(QueryRequest q, String requestId) {
        int offset = page(q);
        ClusterDescription d = backend.describe();
        Optional<String> id = q.optionalString("DBInstanceIdentifier");
        List<ClusterReport.Member> members = d.report().members().stream()
                .filter(m -> id.isEmpty() || id.get().equals(m.name())
                        || id.get().equals(RdsShapes.instanceArn(d.region(), m.name())))
                .filter(m -> matches(q.filters(), INSTANCE_FILTERS, d, m.name()))
                .toList();
        if (id.isPresent() && members.isEmpty() && d.spec().instance(id.get()).isEmpty()) {
            throw new ApiException(RdsFault.DB_INSTANCE_NOT_FOUND, "DBInstance " + id.get() + " not found.");
        }
        List<ClusterReport.Member> page = members.subList(Math.min(offset, members.size()), members.size());
        Map<String, Map<String, String>> instanceTags = new HashMap<>();
        page.forEach(m -> instanceTags.put(m.name(), backend.tags(d.name(), "db:" + m.name())));
        return RdsXml.success(q.action(), requestId, result -> result.list("DBInstances", "DBInstance", page,
                (e, m) -> RdsShapes.writeInstance(e, d, m, instanceTags.get(m.name()))));
    }

    private String failover(QueryRequest q, String requestId) {
        String id = q.string("DBClusterIdentifier");
        ClusterDescription d = backend.describe();
        if (!names(d, id)) {
            throw clusterNotFound(id);
        }
        Optional<String> target = q.optionalString("TargetDBInstanceIdentifier");
        if (target.isPresent() && d.spec().instance(target.get()).isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The target DB instance " + target.get()
                    + " is not a member of DB cluster " + d.name() + "; members: "
                    + d.spec().instances().stream().map(i -> i.name()).toList() + ".");
        }
        ClusterDescription after = backend.switchover(d.name(), target.orElse(null));
        Map<String, String> clusterTags = backend.tags(d.name(), "cluster");
        return RdsXml.success(q.action(), requestId, result -> result.element("DBCluster",
                e -> RdsShapes.writeCluster(e, after, clusterTags)));
    }

    private String describeEngineVersions(QueryRequest q, String requestId) {
        page(q);
        ClusterDescription d = backend.describe();
        String version = d.engineVersion();
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
        ClusterDescription d = backend.describe();
        return RdsEvents.answer(q, requestId, backend.events(d.name()), d.name(), d.region(), clock);
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

    private static ApiException clusterNotFound(String id) {
        return new ApiException(RdsFault.DB_CLUSTER_NOT_FOUND, "DBCluster " + id + " not found.");
    }

    private static String sorted(Set<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", "));
    }
}
