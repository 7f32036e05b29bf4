package io.multiaz.api;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterReport;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.EngineParameter;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Lsn;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import io.multiaz.store.InMemoryClusterStore;
import io.multiaz.store.RdsRecords;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The RDS API tests' backend: one fixed description of the demo cluster, and the clusters the API
 * creates in an in-memory store (described from it, placed on ports 7000 + 16·slot + ordinal), with
 * the in-memory repositories of the same store; it records the switchovers, reboots and password
 * changes asked of it. Not thread-safe: one test's thread uses it.
 */
final class FixedBackend implements RdsBackend {
    static final ClusterSpec DEMO = new ClusterSpec("demo", "postgres", 1, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500),
            new InstanceSpec("demo-2", "az-b", "127.0.0.1", 6510),
            new InstanceSpec("demo-3", "az-c", "127.0.0.1", 6520)),
            new Credentials("su", "p1", "rep", "p2", "dbadmin", "p3"), Map.of());
    static final Instant CREATED = Instant.parse("2025-01-02T03:04:05Z");
    /** The tests' "now". */
    static final Instant NOW = Instant.parse("2025-01-03T12:00:00Z");

    /** PostgreSQL 15's parameters, as recorded from the real server: no server is needed here. */
    private static final List<EngineParameter> ENGINE_PARAMETERS =
            io.multiaz.engine.RecordedDescribeConfig.postgres15();

    final List<String> switchovers = new ArrayList<>();
    final List<String> reboots = new ArrayList<>();
    final List<String> passwords = new ArrayList<>();
    /** What the "installed server" refuses, by {@code name=value}: its message (the agent asks PostgreSQL). */
    final Map<String, String> refusedValues = new HashMap<>();
    final InMemoryClusterStore store = new InMemoryClusterStore();
    final RdsRecords records = store.ensemble().records();
    ClusterDescription d = description(healthy(null, "demo-1"));
    /** Remove a cluster from the store as soon as it is deleting and empty, before the call returns. */
    boolean agentsRemoveEmptyDeleted;

    FixedBackend() {
        // as the agents do, on the writer's thread here: a cluster deleting with no instances left is removed at once
        store.watch("*", change -> {
            if (agentsRemoveEmptyDeleted) {
                records.clusters().names().stream().filter(c -> store.read(c).spec().filter(s -> s.rds().deleting()
                        && s.instances().isEmpty() && s.rds().retiring().isEmpty()).isPresent())
                        .forEach(records.clusters()::delete);
            }
        });
    }

    /** The API over this backend and its repositories, at {@link #NOW}. */
    RdsActions actions() {
        return new RdsActions(this, records, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** {@code actions}' answer to {@code action} with the name/value pairs {@code params}. */
    static String call(RdsActions actions, String action, String... params) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return actions.answer(QueryRequest.of(action, p), "req-1");
    }

    /** CreateDBCluster of the Multi-AZ DB cluster form, named {@code name}, with {@code more} parameters. */
    static String createMultiAz(RdsActions actions, String name, String... more) {
        List<String> p = new ArrayList<>(List.of("DBClusterIdentifier", name, "Engine", "postgres",
                "MasterUsername", "dbadmin", "MasterUserPassword", "secret-password-1",
                "DBClusterInstanceClass", "db.m6gd.large", "AllocatedStorage", "100"));
        p.addAll(List.of(more));
        return call(actions, "CreateDBCluster", p.toArray(String[]::new));
    }

    /** The stored spec of cluster {@code name}. */
    ClusterSpec spec(String name) {
        return store.read(name).spec().orElseThrow();
    }

    /** What the agents would do: bootstrap the first instance as writer, start the others as readers. */
    void makeAvailable(String cluster) {
        List<InstanceSpec> instances = spec(cluster).instances();
        store.claimBootstrap(cluster, instances.get(0).name());
        store.completeBootstrap(cluster, instances.get(0).name(), "1");
        store.acquireLease(cluster, instances.get(0).name());
        for (InstanceSpec i : instances) {
            boolean writer = i.equals(instances.get(0));
            store.publishMember(cluster, new MemberState(i.name(), i.az(), i.host(), i.port(),
                    writer ? Role.WRITER : Role.READER, ServerState.RUNNING, 1, Lsn.ZERO, Lsn.ZERO, 0, null, !writer,
                    List.of(), "", 1, 2, "", null, NOW));
        }
    }

    static ClusterReport.Member member(String name, String az, Role role, ServerState state, boolean streaming) {
        return new ClusterReport.Member(name, az, "127.0.0.1", 6500, role, state, 1, Lsn.ZERO, Lsn.ZERO, 0,
                role == Role.WRITER ? "writer" : "quorum", null, streaming, "reason", 1, 2, null, false,
                name.equals("demo-2")); // demo-2 has a parameter change waiting for its restart
    }

    static ClusterReport healthy(OperatorRequest request, String leader) {
        return new ClusterReport("demo", leader, 3, false, request, List.of(
                member("demo-1", "az-a", Role.WRITER, ServerState.RUNNING, false),
                member("demo-2", "az-b", Role.READER, ServerState.RUNNING, true),
                member("demo-3", "az-c", Role.READER, ServerState.STOPPED, false)), 1, 0, false);
    }

    static ClusterDescription description(ClusterReport report) {
        return new ClusterDescription(DEMO, report, "15.14", "127.77.1.1", "127.77.1.2",
                Map.of("demo-1", "127.77.1.3", "demo-2", "127.77.1.4", "demo-3", "127.77.1.5"), 5432, CREATED, "local-1",
                true);
    }

    @Override
    public String region() {
        return "local-1";
    }

    @Override
    public String engineVersion() {
        return d.engineVersion();
    }

    @Override
    public int endpointPort() {
        return 5432;
    }

    @Override
    public List<String> zones() {
        return List.of("az-a", "az-b", "az-c");
    }

    @Override
    public List<ClusterDescription> clusters() {
        List<ClusterDescription> all = new ArrayList<>();
        all.add(d);
        records.clusters().names().forEach(c -> cluster(c).ifPresent(all::add));
        return all;
    }

    @Override
    public Optional<ClusterDescription> cluster(String name) {
        // as the real store: a name that is not one path segment ZooKeeper takes fails there
        org.apache.zookeeper.common.PathUtils.validatePath(io.multiaz.store.StorePaths.defaults().spec(name));
        if (name.equals(d.name())) {
            return Optional.of(d);
        }
        var snapshot = store.read(name);
        return snapshot.spec().map(spec -> {
            Map<String, String> addresses = new LinkedHashMap<>();
            spec.instances().forEach(i -> addresses.put(i.name(), "127.77.1." + (16 * spec.rds().slot() + 3
                    + spec.ordinal(i))));
            return new ClusterDescription(spec, ClusterReport.of(spec, snapshot), "15.14",
                    "127.77.1." + (16 * spec.rds().slot() + 1), "127.77.1." + (16 * spec.rds().slot() + 2),
                    addresses, 5432, spec.rds().createdAt(), "local-1",
                    snapshot.bootstrap().map(Bootstrap::complete).orElse(false),
                    records.backups().get(spec.name()).orElse(null));
        });
    }

    @Override
    public InstanceSpec place(int slot, int ordinal, String name, String az, String instanceClass) {
        return new InstanceSpec(name, az, "127.0.0.1", 7000 + 16 * slot + ordinal, instanceClass, ordinal);
    }

    @Override
    public void changeMasterPassword(String cluster, String password) {
        passwords.add(cluster + ":" + password);
    }

    @Override
    public void reboot(String cluster, String instance) {
        reboots.add(cluster + "/" + instance);
    }

    @Override
    public ClusterDescription switchover(String cluster, String target) {
        switchovers.add(cluster + "->" + target);
        OperatorRequest r = new OperatorRequest(OperatorRequest.Kind.SWITCHOVER, "demo-1", target, false, CREATED, null);
        return d.withReport(healthy(r, "demo-1"));
    }

    @Override
    public List<EngineParameter> engineParameters() {
        return ENGINE_PARAMETERS;
    }

    @Override
    public Optional<String> parameterValueRefusal(String parameter, String value) {
        return Optional.ofNullable(refusedValues.get(parameter + "=" + value));
    }
}
