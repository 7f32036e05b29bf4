package io.multiaz.api;

import io.multiaz.model.BackupStatus;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.Records;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * DB cluster snapshots: the final snapshot DeleteDBCluster takes (reserved here, taken by the
 * agent of the cluster's last writer), DescribeDBClusterSnapshots and DeleteDBClusterSnapshot.
 * The automated backups are listed from the clusters' backup status ({@code --snapshot-type
 * automated}, {@code rds:<cluster>-<time>}).
 * Stateless; safe for concurrent requests.
 */
final class RdsClusterSnapshots {
    /** The filter names DescribeDBClusterSnapshots takes. */
    private static final Set<String> FILTERS = Set.of("db-cluster-id", "db-cluster-snapshot-id", "snapshot-type",
            "engine");
    private static final Set<String> TYPES = Set.of("automated", "manual", "shared", "public", "awsbackup");
    private static final String AUTOMATED = "automated";
    /** Manual DB cluster snapshots a deployment keeps at most (RDS: 100 per region by default). */
    static final int MANUAL_QUOTA = 100;
    private static final String AUTOMATED_PREFIX = "rds:";
    private static final DateTimeFormatter AUTOMATED_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm")
            .withZone(ZoneOffset.UTC);

    private final RdsBackend backend;
    private final Records<DbClusterSnapshot> records;
    private final Clock clock;

    RdsClusterSnapshots(RdsBackend backend, Records<DbClusterSnapshot> records, Clock clock) {
        this.backend = backend;
        this.records = records;
        this.clock = clock;
    }

    /** {@code raw} in lower case if it is a valid DB cluster snapshot identifier. */
    static String identifier(String raw, String parameter) {
        return RdsChecks.identifier(raw, parameter, RdsChecks.MAX_SNAPSHOT_IDENTIFIER);
    }

    /**
     * Takes the name {@code id} for the final snapshot of {@code d}: stores its record
     * {@code creating}, with what the cluster reports now. The agent of the last writer fills in
     * where the files are and makes it available.
     *
     * @throws ApiException DBClusterSnapshotAlreadyExistsFault when the name is taken;
     *                      InvalidDBClusterStateFault when the cluster has no data to snapshot
     */
    void reserveFinal(ClusterDescription d, String id) {
        if (d.spec().instances().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name() + " has no"
                    + " instances, so there is no data for a final snapshot; delete it with SkipFinalSnapshot.");
        }
        if (!d.bootstrapped()) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name() + " has not finished"
                    + " creating (its first writer has not bootstrapped), so there is no data for a final snapshot;"
                    + " delete it with SkipFinalSnapshot.");
        }
        List<String> zones = d.spec().instances().stream().map(InstanceSpec::az).distinct().sorted().toList();
        DbClusterSnapshot record = new DbClusterSnapshot(id, d.name(), RdsShapes.ENGINE, d.engineVersion(),
                clock.instant(), d.createTime(), d.spec().credentials().masterUser(), d.port(), zones, null, null,
                DbClusterSnapshot.CREATING, 0, DbClusterSnapshot.MANUAL);
        if (!records.create(id, record)) {
            throw alreadyExists(id);
        }
    }

    /**
     * CreateDBClusterSnapshot of the available cluster {@code d}: stores the snapshot {@code creating}
     * in the cluster's backup stanza; the agent owning the cluster's backups takes a full backup from
     * a standby (the cluster stays available and writable) and makes it available.
     *
     * @throws ApiException InvalidDBClusterStateFault when the cluster is not available;
     *                      SnapshotQuotaExceeded past {@value #MANUAL_QUOTA} manual snapshots;
     *                      DBClusterSnapshotAlreadyExistsFault when the name is taken
     */
    String create(QueryRequest q, String requestId, ClusterDescription d) {
        String id = identifier(q.string("DBClusterSnapshotIdentifier"), "DBClusterSnapshotIdentifier");
        String status = RdsShapes.clusterStatus(d);
        if (!status.equals("available")) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name() + " is " + status
                    + ", not available; wait for it (aws rds wait db-cluster-available) and take the snapshot then.");
        }
        long manual = records.list().stream().filter(s -> s.snapshotType().equals(DbClusterSnapshot.MANUAL)).count();
        if (manual >= MANUAL_QUOTA) {
            throw new ApiException(RdsFault.SNAPSHOT_QUOTA_EXCEEDED, "This deployment keeps at most " + MANUAL_QUOTA
                    + " manual DB cluster snapshots; delete one (aws rds delete-db-cluster-snapshot) first.");
        }
        List<String> zones = d.spec().instances().stream().map(InstanceSpec::az).distinct().sorted().toList();
        DbClusterSnapshot record = new DbClusterSnapshot(id, d.name(), RdsShapes.ENGINE, d.engineVersion(),
                clock.instant(), d.createTime(), d.spec().credentials().masterUser(), d.port(), zones, null, null,
                DbClusterSnapshot.CREATING, 0, DbClusterSnapshot.MANUAL, d.spec().backupStanza(), null, 0);
        if (!records.create(id, record)) {
            throw new ApiException(RdsFault.DB_CLUSTER_SNAPSHOT_ALREADY_EXISTS, "DB cluster snapshot " + id
                    + " already exists; choose another DBClusterSnapshotIdentifier or delete that snapshot first.");
        }
        String region = backend.region();
        return RdsXml.success(q.action(), requestId, result -> result.element("DBClusterSnapshot",
                e -> RdsShapes.writeClusterSnapshot(e, record, region)));
    }

    /** Gives the name {@code id} back after the deletion that reserved it was refused. */
    void release(String id) {
        records.delete(id);
    }

    static ApiException alreadyExists(String id) {
        return new ApiException(RdsFault.DB_CLUSTER_SNAPSHOT_ALREADY_EXISTS, "DB cluster snapshot " + id
                + " already exists; choose another FinalDBSnapshotIdentifier or delete that snapshot first"
                + " (DeleteDBClusterSnapshot).");
    }

    String describe(QueryRequest q, String requestId) {
        int offset = RdsActions.page(q);
        int max = RdsActions.maxRecords(q, 100);
        Optional<String> id = q.optionalString("DBClusterSnapshotIdentifier");
        Optional<String> cluster = q.optionalString("DBClusterIdentifier").map(this::clusterName);
        if (id.isPresent() && cluster.isPresent()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_COMBINATION, "Give DBClusterSnapshotIdentifier or"
                    + " DBClusterIdentifier, not both.");
        }
        Optional<String> type = q.optionalString("SnapshotType");
        type.ifPresent(t -> {
            if (!TYPES.contains(t)) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid SnapshotType " + t + ": use one of "
                        + TYPES.stream().sorted().toList() + ".");
            }
        });
        for (QueryRequest.Filter f : q.filters()) {
            if (!FILTERS.contains(f.name())) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Unrecognized filter name: " + f.name()
                        + ". Filters supported here: " + FILTERS.stream().sorted().toList() + ".");
            }
        }
        List<DbClusterSnapshot> all = new ArrayList<>(id.isPresent() ? List.of(snapshot(id.get())) : records.list());
        if (id.isEmpty() && type.map(AUTOMATED::equals).orElse(true)) {
            all.addAll(automated());
        }
        List<DbClusterSnapshot> matching = all.stream()
                .filter(s -> cluster.map(s.clusterIdentifier()::equals).orElse(true))
                .filter(s -> type.map(s.snapshotType()::equals).orElse(true))
                .filter(s -> q.filters().stream().allMatch(f -> f.values().stream().anyMatch(v -> matches(s, f.name(), v))))
                .toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + max, matching.size());
        List<DbClusterSnapshot> page = matching.subList(from, to);
        String next = to < matching.size() ? Integer.toString(to) : null;
        String region = backend.region();
        return RdsXml.success(q.action(), requestId, result -> result
                .text("Marker", next)
                .list("DBClusterSnapshots", "DBClusterSnapshot", page,
                        (e, s) -> RdsShapes.writeClusterSnapshot(e, s, region)));
    }

    /**
     * Marks an available snapshot {@code deleting}; the agent holding its files removes them and
     * then the record. Answers with the snapshot as it is then, in status {@code deleting}.
     */
    String delete(QueryRequest q, String requestId) {
        String raw = q.string("DBClusterSnapshotIdentifier");
        String id = snapshot(raw).identifier();
        DbClusterSnapshot after = records.update(id, s -> {
            if (!s.status().equals(DbClusterSnapshot.AVAILABLE)) {
                throw new ApiException(RdsFault.INVALID_DB_CLUSTER_SNAPSHOT_STATE, "DB cluster snapshot " + id
                        + " is " + s.status() + ", not available; " + (s.status().equals(DbClusterSnapshot.CREATING)
                        ? "wait for it (aws rds wait db-cluster-snapshot-available) and try again."
                        : "it is being deleted already."));
            }
            return s.withStatus(DbClusterSnapshot.DELETING);
        }).orElseThrow(() -> notFound(raw));
        String region = backend.region();
        return RdsXml.success(q.action(), requestId, result -> result.element("DBClusterSnapshot",
                e -> RdsShapes.writeClusterSnapshot(e, after, region)));
    }

    /** The snapshot {@code id} (identifier, any case, or ARN) names; DBClusterSnapshotNotFoundFault otherwise. */
    private DbClusterSnapshot snapshot(String id) {
        String prefix = RdsShapes.clusterSnapshotArn(backend.region(), "");
        String name = (id.startsWith(prefix) ? id.substring(prefix.length()) : id).toLowerCase(Locale.ROOT);
        if (name.startsWith(AUTOMATED_PREFIX)) {
            return automated().stream().filter(a -> a.identifier().equals(name)).findFirst()
                    .orElseThrow(() -> notFound(id));
        }
        if (!RdsChecks.isIdentifier(name, RdsChecks.MAX_SNAPSHOT_IDENTIFIER)) {
            throw notFound(id);
        }
        return records.get(name).orElseThrow(() -> notFound(id));
    }

    /**
     * The automated backups of every cluster as RDS lists them: {@code rds:<cluster>-<yyyy-mm-dd-hh-mm>}
     * of the backup's start (UTC), type {@code automated}, available, oldest first per cluster.
     */
    private List<DbClusterSnapshot> automated() {
        List<DbClusterSnapshot> all = new ArrayList<>();
        for (ClusterDescription d : backend.clusters()) {
            if (d.backups() == null) {
                continue;
            }
            List<String> zones = d.spec().instances().stream().map(InstanceSpec::az).distinct().sorted().toList();
            for (BackupStatus.Backup b : d.backups().automated()) {
                all.add(new DbClusterSnapshot(AUTOMATED_PREFIX + d.name() + "-" + AUTOMATED_TIME.format(b.startTime()),
                        d.name(), RdsShapes.ENGINE, d.engineVersion(), b.stopTime(), d.createTime(),
                        d.spec().credentials().masterUser(), d.port(), zones, null, null, DbClusterSnapshot.AVAILABLE,
                        b.sizeBytes(), AUTOMATED));
            }
        }
        return all;
    }

    private String clusterName(String id) {
        String prefix = RdsShapes.clusterArn(backend.region(), "");
        return (id.startsWith(prefix) ? id.substring(prefix.length()) : id).toLowerCase(Locale.ROOT);
    }

    private boolean matches(DbClusterSnapshot s, String filter, String value) {
        return switch (filter) {
            case "db-cluster-id" -> value.equalsIgnoreCase(s.clusterIdentifier())
                    || value.equals(RdsShapes.clusterArn(backend.region(), s.clusterIdentifier()));
            case "db-cluster-snapshot-id" -> value.equalsIgnoreCase(s.identifier())
                    || value.equals(RdsShapes.clusterSnapshotArn(backend.region(), s.identifier()));
            case "snapshot-type" -> value.equals(s.snapshotType());
            default -> value.equals(s.engine());
        };
    }

    private static ApiException notFound(String id) {
        return new ApiException(RdsFault.DB_CLUSTER_SNAPSHOT_NOT_FOUND, "DBClusterSnapshot " + id + " not found.");
    }
}
