package io.multiaz.api;

import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.Credentials;
import io.multiaz.model.DbClusterSettings;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.SubnetGroup;
import io.multiaz.store.RdsRecords;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static io.multiaz.api.RdsChecks.combination;
import static io.multiaz.api.RdsChecks.invalid;

/**
 * The life of DB clusters: CreateDBCluster in both forms, ModifyDBCluster and DeleteDBCluster
 * (their instances' own actions are {@link RdsInstances}). Each call checks its whole input in
 * RDS's words before it writes anything; the agents' reconcilers then build or remove what the spec
 * says.
 *
 * <p>Forms: with {@code DBClusterInstanceClass} (the Multi-AZ DB cluster form) CreateDBCluster
 * places a writer and two readers itself, named {@code <cluster>-instance-1..3}, one per zone;
 * without it (the Aurora form) the cluster starts empty and CreateDBInstance adds instances one by
 * one.
 *
 * <p>DeleteDBCluster with FinalDBSnapshotIdentifier keeps the last writer's data directory as a DB
 * cluster snapshot ({@link RdsClusterSnapshots}); a cluster without data (not bootstrapped, or of
 * the Aurora form without instances) cannot have one.
 *
 * <p>Not supported, refused with a message that says so: storage encryption, Secrets Manager passwords, renaming a cluster, other engines
 * or versions than the installed PostgreSQL. Stateless; safe for concurrent requests.
 */
final class RdsClusters {
    private static final Pattern USER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    private static final Pattern PASSWORD = Pattern.compile("[\\x21-\\x7e&&[^/\"@]]{8,128}");
    private static final Pattern BACKUP_WINDOW = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final Pattern MAINTENANCE_WINDOW = Pattern.compile(
            "(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final Set<String> RESERVED_USERS = Set.of("postgres", "rdsadmin", "multiaz_admin", "replicator",
            "public", "admin");
    /** Instances per Multi-AZ DB cluster: a writer and two readable standbys. */
    private static final int MULTI_AZ_INSTANCES = 3;

    private final RdsBackend backend;
    private final RdsRecords records;
    private final RdsActions actions;
    private final RdsParameterGroups parameterGroups;
    private final RdsClusterSnapshots snapshots;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RdsClusters(RdsBackend backend, RdsRecords records, RdsActions actions, RdsParameterGroups parameterGroups,
                RdsClusterSnapshots snapshots, Clock clock) {
        this.backend = backend;
        this.records = records;
        this.actions = actions;
        this.parameterGroups = parameterGroups;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    String createCluster(QueryRequest q, String requestId) {
        String name = RdsChecks.identifier(q.string("DBClusterIdentifier"), "DBClusterIdentifier");
        RdsChecks.engine(q, backend);
        String user = masterUser(q);
        String password = password(q.optionalString("MasterUserPassword").orElseThrow(() -> invalid(
                "The parameter MasterUserPassword must be provided and must not be blank.")));
        if (q.optionalBool("StorageEncrypted").orElse(false) || q.has("KmsKeyId")) {
            throw combination("multiaz does not encrypt storage; create the cluster without StorageEncrypted"
                    + " and KmsKeyId (use an encrypted file system for the state directory instead).");
        }
        Optional<String> instanceClass = q.optionalString("DBClusterInstanceClass");
        instanceClass.ifPresent(c -> InstanceClasses.require(c, "DBClusterInstanceClass"));
        String database = q.optionalString("DatabaseName").orElse("postgres");
        if (!DATABASE.matcher(database).matches()) {
            throw invalid("DatabaseName " + database + " is not valid: use 1-63 letters, digits and underscores,"
                    + " starting with a letter.");
        }
        port(q);
        Optional<SubnetGroup> subnetGroup = q.optionalString("DBSubnetGroupName").map(RdsSubnetGroups::name)
                .map(g -> records.subnetGroups().get(g).orElseThrow(() -> new ApiException(RdsFault.DB_SUBNET_GROUP_NOT_FOUND,
                        "DB subnet group " + g + " not found; create it with CreateDBSubnetGroup first.")));
        String parameterGroup = q.optionalString("DBClusterParameterGroupName").map(this::parameterGroup).orElse(null);
        int retention = retention(q).orElse(1);
        String backupWindow = backupWindow(q);
        String maintenanceWindow = maintenanceWindow(q);
        boolean protection = q.optionalBool("DeletionProtection").orElse(false);
        Map<String, String> tags = RdsTags.parse(q);
        List<String> zones = RdsChecks.zones(backend, q.list("AvailabilityZones", "AvailabilityZone"), subnetGroup);
        if (backend.cluster(name).isPresent()) {
            throw alreadyExists(name);
        }
        List<String> names = instanceClass.isPresent() ? multiAzInstances(name, zones, subnetGroup.isPresent())
                : List.of();
        int slot = records.clusters().claimSlot(name).orElseThrow(() -> new ApiException(RdsFault.DB_CLUSTER_QUOTA_EXCEEDED,
                "This deployment runs " + (DbClusterSettings.MAX_SLOTS - 1) + " API-created DB clusters already,"
                        + " its limit; delete one first."));
        List<InstanceSpec> instances = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            instances.add(backend.place(slot, k, names.get(k), zones.get(k), null));
        }
        Credentials generated = Credentials.generate(user, random);
        Credentials credentials = new Credentials(generated.superuser(), generated.superuserPassword(),
                generated.replicationUser(), generated.replicationPassword(), user, password);
        DbClusterSettings settings = new DbClusterSettings(slot, instanceClass.orElse(null), parameterGroup,
                subnetGroup.map(SubnetGroup::name).orElse(null), retention, backupWindow, maintenanceWindow, protection,
                clock.instant(), false, List.of());
        ClusterSpec spec = new ClusterSpec(name, database, instances.size() > 1 ? 1 : 0, instances, credentials,
                Map.of(), settings);
        if (!records.clusters().create(spec)) {
            throw alreadyExists(name);
        }
        if (!tags.isEmpty()) {
            records.tags().update(name, "cluster", t -> tags);
        }
        records.events().appendEvent(name, new ClusterEvent(clock.instant(), null, EventType.CLUSTER_CREATED,
                "DB cluster created"
                + (instances.isEmpty() ? "" : " with instances " + names)));
        return clusterResult(q, requestId, name);
    }

    /** {@code MasterUsername}, checked; refuses ManageMasterUserPassword, which needs a secrets store. */
    private static String masterUser(QueryRequest q) {
        String user = q.string("MasterUsername");
        if (!USER.matcher(user).matches() || RESERVED_USERS.contains(user.toLowerCase(Locale.ROOT))) {
            throw invalid("MasterUsername " + user + " is not allowed: use 1-63 letters, digits and underscores"
                    + " starting with a letter, and none of " + RESERVED_USERS.stream().sorted().toList() + ".");
        }
        if (q.optionalBool("ManageMasterUserPassword").orElse(false)) {
            throw combination("multiaz does not manage master passwords in a secrets store yet; give"
                    + " MasterUserPassword instead of ManageMasterUserPassword.");
        }
        return user;
    }

    /** The names of a Multi-AZ DB cluster's three instances, checked against {@code zones} and existing instances. */
    private List<String> multiAzInstances(String name, List<String> zones, boolean fromSubnetGroup) {
        if (zones.size() < MULTI_AZ_INSTANCES) {
            throw new ApiException(fromSubnetGroup ? RdsFault.DB_SUBNET_GROUP_DOES_NOT_COVER_ENOUGH_AZS
                    : RdsFault.INVALID_PARAMETER_VALUE, "A Multi-AZ DB cluster needs " + MULTI_AZ_INSTANCES
                    + " availability zones; the request allows " + zones + ". Name three of " + backend.zones()
                    + " (AvailabilityZones or the subnet group's subnets).");
        }
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= MULTI_AZ_INSTANCES; k++) {
            String n = name + "-instance-" + k;
            if (RdsActions.findInstance(backend, n).isPresent()) {
                throw new ApiException(RdsFault.DB_INSTANCE_ALREADY_EXISTS, "DB instance " + n
                        + " already exists, and the cluster's instances take that name; choose another"
                        + " DBClusterIdentifier.");
            }
            names.add(n);
        }
        return names;
    }

    String modifyCluster(QueryRequest q, String requestId) {
        ClusterDescription d = actions.cluster(q.string("DBClusterIdentifier"));
        if (q.has("NewDBClusterIdentifier")) {
            throw invalid("multiaz cannot rename a DB cluster (its name is in its endpoints and data paths);"
                    + " create a new one instead.");
        }
        q.optionalString("EngineVersion").ifPresent(v -> RdsChecks.engineVersion(v, backend));
        port(q);
        if (q.has("ManageMasterUserPassword") || q.has("StorageEncrypted")) {
            throw combination("multiaz supports neither managed master passwords nor storage encryption;"
                    + " leave ManageMasterUserPassword and StorageEncrypted out.");
        }
        Optional<String> instanceClass = q.optionalString("DBClusterInstanceClass");
        instanceClass.ifPresent(c -> InstanceClasses.require(c, "DBClusterInstanceClass"));
        if (instanceClass.isPresent() && !d.spec().rds().multiAzForm()) {
            throw combination("DBClusterInstanceClass belongs to Multi-AZ DB clusters; " + d.name()
                    + " has per-instance classes (use ModifyDBInstance).");
        }
        Optional<String> password = q.optionalString("MasterUserPassword").map(RdsClusters::password);
        Optional<String> parameterGroup = q.optionalString("DBClusterParameterGroupName").map(this::parameterGroup);
        Optional<Integer> retention = retention(q).map(r -> r);
        Optional<String> backupWindow = q.optionalString("PreferredBackupWindow").map(w -> backupWindow(q));
        Optional<String> maintenanceWindow = q.optionalString("PreferredMaintenanceWindow")
                .map(w -> maintenanceWindow(q));
        Optional<Boolean> protection = q.optionalBool("DeletionProtection");
        requireState(d, "available", "modified");
        if (password.isPresent()) {
            // the spec is checked before the writer's password changes, so a refusal leaves both as they were
            // (issue 21; only a deletion between the two can still refuse after it)
            records.clusters().update(d.name(), s -> notDeleting(s, d.name()))
                    .orElseThrow(() -> RdsActions.clusterNotFound(d.name()));
            backend.changeMasterPassword(d.name(), password.get());
        }
        records.clusters().update(d.name(), s -> {
            notDeleting(s, d.name());
            DbClusterSettings r = s.rds();
            DbClusterSettings next = new DbClusterSettings(r.slot(), instanceClass.orElse(r.instanceClass()),
                    parameterGroup.isPresent() ? parameterGroup.get() : r.parameterGroup(), r.subnetGroup(),
                    retention.orElse(r.backupRetentionPeriod()), backupWindow.orElse(r.preferredBackupWindow()),
                    maintenanceWindow.orElse(r.preferredMaintenanceWindow()),
                    protection.orElse(r.deletionProtection()), r.createdAt(), r.deleting(), r.retiring(),
                    r.finalSnapshot());
            Credentials c = s.credentials();
            ClusterSpec changed = s.withRds(next);
            return password.map(p -> changed.withCredentials(new Credentials(c.superuser(), c.superuserPassword(),
                    c.replicationUser(), c.replicationPassword(), c.masterUser(), p))).orElse(changed);
        }).orElseThrow(() -> RdsActions.clusterNotFound(d.name()));
        records.events().appendEvent(d.name(), new ClusterEvent(clock.instant(), null, EventType.CLUSTER_MODIFIED,
                "DB cluster modified: " + String.join(", ", q.parameters().keySet().stream()
                        .filter(k -> !k.equals("Action") && !k.equals("Version") && !k.equals("DBClusterIdentifier")
                                && !k.equals("MasterUserPassword") && !k.equals("ApplyImmediately")).sorted().toList())));
        return clusterResult(q, requestId, d.name());
    }

    String deleteCluster(QueryRequest q, String requestId) {
        ClusterDescription d = actions.cluster(q.string("DBClusterIdentifier"));
        boolean skip = q.optionalBool("SkipFinalSnapshot").orElse(false);
        Optional<String> finalSnapshot = q.optionalString("FinalDBSnapshotIdentifier")
                .map(f -> RdsClusterSnapshots.identifier(f, "FinalDBSnapshotIdentifier"));
        if (skip && finalSnapshot.isPresent()) {
            throw combination("Give either SkipFinalSnapshot or FinalDBSnapshotIdentifier, not both.");
        }
        if (!skip && finalSnapshot.isEmpty()) {
            throw combination("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        }
        if (d.spec().rds().deleting()) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name()
                    + " is already being deleted; wait for it with aws rds wait db-cluster-deleted.");
        }
        if (d.spec().rds().deletionProtection()) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "Cannot delete protected Cluster, please"
                    + " disable deletion protection and try again (ModifyDBCluster --no-deletion-protection).");
        }
        if (!d.spec().rds().multiAzForm() && d.spec().rds().createdAt() != null && !d.spec().instances().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "Cluster cannot be deleted, it still contains"
                    + " DB instances in non-deleting state: " + d.spec().instances().stream()
                    .map(InstanceSpec::name).toList() + ". Delete them with DeleteDBInstance first.");
        }
        String stanza = d.spec().backupStanza();
        Optional<DbClusterSnapshot> inProgress = records.clusterSnapshots().list().stream()
                .filter(s -> stanza.equals(s.stanza()) && s.status().equals(DbClusterSnapshot.CREATING)).findFirst();
        if (inProgress.isPresent()) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name() + " is being"
                    + " snapshotted (" + inProgress.get().identifier() + "); wait for it (aws rds wait"
                    + " db-cluster-snapshot-available) and delete the cluster then.");
        }
        if (finalSnapshot.isPresent() && records.clusterSnapshots().get(finalSnapshot.get()).isPresent()) {
            throw RdsClusterSnapshots.alreadyExists(finalSnapshot.get());
        }
        // the snapshot's record is created first: it takes the name, so no other deletion can take it too
        finalSnapshot.ifPresent(f -> snapshots.reserveFinal(d, f));
        Map<String, String> tags = records.tags().get(d.name(), "cluster");
        ClusterSpec deleting;
        try {
            deleting = records.clusters().update(d.name(), s -> {
                if (s.rds().deletionProtection() || s.rds().deleting()
                        || finalSnapshot.isPresent() && s.instances().isEmpty()) {
                    throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name()
                            + " changed while deleting it; describe it and try again.");
                }
                List<InstanceSpec> retiring = new ArrayList<>(s.rds().retiring());
                retiring.addAll(s.instances());
                return new ClusterSpec(s.name(), s.databaseName(), 0, List.of(), s.credentials(), s.parameters(),
                        s.rds().withRetiring(retiring).withDeleting(true).withFinalSnapshot(finalSnapshot.orElse(null)));
            }).orElseThrow(() -> RdsActions.clusterNotFound(d.name()));
        } catch (RuntimeException e) {
            finalSnapshot.ifPresent(snapshots::release);
            throw e;
        }
        // a cluster without instances is gone as soon as an agent sees it deleting, so no event is recorded
        // for it: one appended after the agents removed the cluster would leave its log behind in the store.
        // Decided by what was written, not by looking again (issue 21: the fuzzer caught an agent removing the
        // cluster between a look and the event); with instances the agents stop their servers first
        if (!deleting.rds().retiring().isEmpty()) {
            records.events().appendEvent(d.name(), new ClusterEvent(clock.instant(), null, EventType.CLUSTER_DELETING,
                    "DB cluster deletion started" + finalSnapshot.map(f -> "; final snapshot " + f).orElse("")));
        }
        return clusterResult(q, requestId, backend.cluster(d.name()).orElse(d.withSpec(deleting)), tags);
    }

    private String clusterResult(QueryRequest q, String requestId, String name) {
        ClusterDescription after = backend.cluster(name).orElseThrow(() -> RdsActions.clusterNotFound(name));
        return clusterResult(q, requestId, after, records.tags().get(name, "cluster"));
    }

    private static String clusterResult(QueryRequest q, String requestId, ClusterDescription d,
                                        Map<String, String> tags) {
        return RdsXml.success(q.action(), requestId, result -> result.element("DBCluster",
                e -> RdsShapes.writeCluster(e, d, tags)));
    }

    private void port(QueryRequest q) {
        q.optionalInteger("Port").ifPresent(p -> {
            int endpointPort = backend.endpointPort();
            if (p != endpointPort) {
                throw invalid("Port " + p + " is not possible: every endpoint of this deployment listens on "
                        + endpointPort + ", each on its own address. Leave Port out.");
            }
        });
    }

    private String parameterGroup(String raw) {
        try {
            String name = parameterGroups.group(raw).name();
            return name.startsWith("default.") ? null : name;
        } catch (ApiException e) {
            if (e.fault() == RdsFault.DB_PARAMETER_GROUP_NOT_FOUND) {
                throw new ApiException(RdsFault.DB_CLUSTER_PARAMETER_GROUP_NOT_FOUND, "DB cluster parameter group "
                        + raw + " not found; create it with CreateDBClusterParameterGroup first.");
            }
            throw e;
        }
    }

    private static Optional<Integer> retention(QueryRequest q) {
        var r = q.optionalInteger("BackupRetentionPeriod");
        if (r.isPresent() && (r.getAsInt() < 1 || r.getAsInt() > 35)) {
            throw invalid("Invalid BackupRetentionPeriod " + r.getAsInt() + ": a DB cluster keeps backups 1 to 35"
                    + " days.");
        }
        return r.isPresent() ? Optional.of(r.getAsInt()) : Optional.empty();
    }

    private static String backupWindow(QueryRequest q) {
        String w = q.optionalString("PreferredBackupWindow").orElse(DbClusterSettings.BACKUP_WINDOW);
        if (!BACKUP_WINDOW.matcher(w).matches()) {
            throw invalid("Invalid PreferredBackupWindow " + w + ": use hh24:mi-hh24:mi in UTC, e.g. 03:00-03:30.");
        }
        return w;
    }

    private static String maintenanceWindow(QueryRequest q) {
        String w = q.optionalString("PreferredMaintenanceWindow").map(s -> s.toLowerCase(Locale.ROOT))
                .orElse(DbClusterSettings.MAINTENANCE_WINDOW);
        if (!MAINTENANCE_WINDOW.matcher(w).matches()) {
            throw invalid("Invalid PreferredMaintenanceWindow " + w + ": use ddd:hh24:mi-ddd:hh24:mi in UTC,"
                    + " e.g. sun:05:00-sun:05:30.");
        }
        return w;
    }

    private static String password(String password) {
        if (!PASSWORD.matcher(password).matches()) {
            throw invalid("The parameter MasterUserPassword is not a valid password: use 8-128 printable ASCII"
                    + " characters other than '/', '\"', '@' and space.");
        }
        return password;
    }

    /** {@code spec} unchanged; InvalidDBClusterStateFault when its cluster is being deleted. */
    private static ClusterSpec notDeleting(ClusterSpec spec, String name) {
        if (spec.rds().deleting()) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + name + " is being deleted.");
        }
        return spec;
    }

    private static void requireState(ClusterDescription d, String wanted, String verb) {
        String status = RdsShapes.clusterStatus(d);
        if (!status.equals(wanted) && !status.equals("failing-over")) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + d.name() + " is " + status
                    + " and cannot be " + verb + " now; wait until it is available.");
        }
    }

    private static ApiException alreadyExists(String name) {
        return new ApiException(RdsFault.DB_CLUSTER_ALREADY_EXISTS, "DB cluster already exists: " + name + ".");
    }
}
