package io.multiaz.agent.rds;

import io.multiaz.model.ClusterReport;
import io.multiaz.agent.ha.ClusterOperations;

import io.multiaz.api.ApiException;
import io.multiaz.api.ClusterDescription;
import io.multiaz.api.RdsBackend;
import io.multiaz.api.RdsFault;
import io.multiaz.config.Layout;
import io.multiaz.endpoint.Cidr;
import io.multiaz.endpoint.EndpointAddresses;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EngineParameter;
import io.multiaz.model.ParameterGroup;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.SubnetGroup;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.multiaz.config.ZoneLayout;
import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.MemberState;
import io.multiaz.model.ClusterSnapshot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The RDS API's view of the deployment: every cluster as the store has it now (spec, lease,
 * members), the endpoint addresses of each cluster's slot, the engine version of the installed
 * server, placement of new instances on the zones' hosts and ports, and switchovers filed through
 * {@link ClusterOperations}. Called on the API server's threads; it keeps no state but caches of
 * facts that never change (engine parameters, create times of demo clusters).
 *
 * <p>Ports: the demo cluster (slot 0) uses each zone's base port ({@code basePort + 10·zone});
 * a cluster in slot s ≥ 1 gives its instance of ordinal k {@code basePort + 100 + 16·(s-1) + k}.
 */
public final class AgentRdsBackend implements RdsBackend {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRdsBackend.class);
    /** First port of the API-created clusters' instances, above the zones' ten ports each. */
    static final int CLUSTER_PORTS_OFFSET = 100;

    private final ClusterOperations operations;
    private final ClusterStore store;
    private final Layout layout;
    private final Cidr block;
    private final String engineVersion;
    private final String region;
    private final Map<String, Instant> createTimes = new ConcurrentHashMap<>();
    private final Supplier<List<EngineParameter>> engineParameters;
    private final AtomicReference<List<EngineParameter>> engineParametersRead = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code engineParameters} is called once, on the first request that needs them (then kept). */
    public AgentRdsBackend(ClusterOperations operations, ClusterStore store, Layout layout, String engineVersion,
                    Supplier<List<EngineParameter>> engineParameters) {
        this.engineParameters = engineParameters;
        this.operations = operations;
        this.store = store;
        this.layout = layout;
        this.block = Cidr.parse(layout.endpoints().network());
        this.engineVersion = engineVersion;
        this.region = layout.api().region();
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public String engineVersion() {
        return engineVersion;
    }

    @Override
    public int endpointPort() {
        return layout.endpoints().port();
    }

    @Override
    public List<String> zones() {
        return layout.zones().stream().map(ZoneLayout::az).toList();
    }

    @Override
    public List<ClusterDescription> clusters() {
        return stored(() -> store.clusters().stream().map(this::cluster).flatMap(Optional::stream).toList());
    }

    @Override
    public Optional<ClusterDescription> cluster(String name) {
        return stored(() -> {
            ClusterSnapshot s = store.read(name);
            return s.spec().map(spec -> describe(spec, s));
        });
    }

    @Override
    public InstanceSpec place(int slot, int ordinal, String name, String az, String instanceClass) {
        List<ZoneLayout> zones = layout.zones();
        ZoneLayout zone = layout.zone(az).orElseThrow(() -> new ApiException(RdsFault.INVALID_PARAMETER_VALUE,
                "AvailabilityZone " + az + " is not one of " + zones() + "."));
        int port = slot == 0 ? layout.basePort() + 10 * zones.indexOf(zone)
                : layout.basePort() + CLUSTER_PORTS_OFFSET + 16 * (slot - 1) + ordinal;
        return new InstanceSpec(name, az, zone.host(), port, instanceClass, ordinal);
    }

    @Override
    public OptionalInt claimSlot(String name) {
        return stored(() -> store.claimSlot(name));
    }

    @Override
    public boolean createCluster(ClusterSpec spec) {
        return stored(() -> store.createCluster(spec));
    }

    @Override
    public Optional<ClusterSpec> updateSpec(String cluster, UnaryOperator<ClusterSpec> change) {
        return stored(() -> store.updateSpec(cluster, change));
    }

    @Override
    public ClusterDescription switchover(String cluster, String target) {
        try {
            ClusterSnapshot s = store.read(cluster);
            operations.request(s, OperatorRequest.Kind.SWITCHOVER, target, false);
            return cluster(cluster).orElseThrow(() -> new ApiException(RdsFault.DB_CLUSTER_NOT_FOUND,
                    "DBCluster " + cluster + " not found."));
        } catch (ClusterOperations.Rejected e) {
            throw new ApiException(e.status == 409 ? RdsFault.INVALID_DB_CLUSTER_STATE
                    : RdsFault.INVALID_PARAMETER_VALUE, e.getMessage());
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void changeMasterPassword(String cluster, String password) {
        ClusterSnapshot s = stored(() -> store.read(cluster));
        ClusterSpec spec = s.spec().orElseThrow(() -> new ApiException(RdsFault.DB_CLUSTER_NOT_FOUND,
                "DBCluster " + cluster + " not found."));
        InstanceSpec writer = s.lease().flatMap(l -> spec.instance(l.holder())).orElseThrow(() -> new ApiException(
                RdsFault.INVALID_DB_CLUSTER_STATE, "DB cluster " + cluster + " has no writer right now, so its"
                + " master password cannot change; wait until it is available and try again."));
        Properties p = new Properties();
        p.setProperty("user", spec.credentials().superuser());
        p.setProperty("password", spec.credentials().superuserPassword());
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "10");
        p.setProperty("ApplicationName", "multiaz_api");
        String url = "jdbc:postgresql://" + writer.host() + ":" + writer.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(url, p)) {
            // a SCRAM verifier computed here: the clear text never reaches the server's log
            io.multiaz.engine.PgPasswords.set(c, spec.credentials().masterUser(), password);
        } catch (SQLException e) {
            throw new ApiException(RdsFault.INVALID_DB_CLUSTER_STATE, "Could not set the master password on the"
                    + " writer " + writer.name() + " (" + e.getMessage() + "); nothing was changed. Retry when the"
                    + " cluster is available.");
        }
    }

    @Override
    public void reboot(String cluster, String instance) {
        ClusterSnapshot s = stored(() -> store.read(cluster));
        MemberState m = s.members().get(instance);
        if (m == null || m.healthUrl() == null) {
            throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "The agent of DB instance " + instance
                    + " does not answer, so it cannot restart it; bring its zone back and try again.");
        }
        URI uri = URI.create(m.healthUrl() + "/instances/" + instance + "/restart");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody());
            if (layout.operatorToken() != null) { // else (a layout older than tokens) the agent refuses, saying why
                request.header(io.multiaz.config.OperatorToken.HEADER, layout.operatorToken().bearer());
            }
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "The agent of " + instance
                        + " refused the restart (" + r.statusCode() + " " + r.body() + ").");
            }
        } catch (java.io.IOException e) {
            throw new ApiException(RdsFault.INVALID_DB_INSTANCE_STATE, "The agent of DB instance " + instance
                    + " at " + m.healthUrl() + " did not answer (" + e.getMessage() + "); try again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(RdsFault.SERVICE_UNAVAILABLE, "Interrupted; try again.");
        }
    }

    @Override
    public void recordEvent(String cluster, ClusterEvent event) {
        stored(() -> {
            store.appendEvent(cluster, event);
            return null;
        });
    }

    @Override
    public List<ClusterEvent> events(String cluster) {
        try {
            return store.events(cluster, ClusterStore.DEFAULT_EVENTS_KEPT);
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Map<String, String> tags(String cluster, String resource) {
        try {
            return store.tags(cluster, resource);
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void updateTags(String cluster, String resource, UnaryOperator<Map<String, String>> change) {
        try {
            store.updateTags(cluster, resource, change);
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean createSubnetGroup(SubnetGroup group) {
        return stored(() -> store.createSubnetGroup(group));
    }

    @Override
    public Optional<SubnetGroup> subnetGroup(String name) {
        return stored(() -> store.subnetGroup(name));
    }

    @Override
    public List<SubnetGroup> subnetGroups() {
        return stored(store::subnetGroups);
    }

    @Override
    public boolean deleteSubnetGroup(String name) {
        return stored(() -> store.deleteSubnetGroup(name));
    }

    @Override
    public List<EngineParameter> engineParameters() {
        List<EngineParameter> known = engineParametersRead.get();
        if (known != null) {
            return known;
        }
        try {
            List<EngineParameter> read = engineParameters.get();
            engineParametersRead.compareAndSet(null, read);
            return engineParametersRead.get();
        } catch (io.multiaz.engine.EngineException e) {
            LOG.warn("cannot describe the PostgreSQL parameters ({}); parameter group calls fail until it works",
                    e.getMessage());
            throw new ApiException(RdsFault.INTERNAL_FAILURE, "This agent cannot list the PostgreSQL parameters ("
                    + e.getMessage() + "); fix the binaries named, or ask another agent.");
        }
    }

    @Override
    public boolean createParameterGroup(ParameterGroup group) {
        return stored(() -> store.createParameterGroup(group));
    }

    @Override
    public Optional<ParameterGroup> parameterGroup(String name) {
        return stored(() -> store.parameterGroup(name));
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        return stored(store::parameterGroups);
    }

    @Override
    public Optional<ParameterGroup> updateParameterGroup(String name, UnaryOperator<ParameterGroup> change) {
        return stored(() -> store.updateParameterGroup(name, change));
    }

    @Override
    public boolean deleteParameterGroup(String name) {
        return stored(() -> store.deleteParameterGroup(name));
    }

    @Override
    public boolean createClusterSnapshot(io.multiaz.model.DbClusterSnapshot snapshot) {
        return stored(() -> store.createClusterSnapshot(snapshot));
    }

    @Override
    public Optional<io.multiaz.model.DbClusterSnapshot> clusterSnapshot(String identifier) {
        return stored(() -> store.clusterSnapshot(identifier));
    }

    @Override
    public List<io.multiaz.model.DbClusterSnapshot> clusterSnapshots() {
        return stored(store::clusterSnapshots);
    }

    @Override
    public Optional<io.multiaz.model.DbClusterSnapshot> updateClusterSnapshot(String identifier,
            UnaryOperator<io.multiaz.model.DbClusterSnapshot> change) {
        return stored(() -> store.updateClusterSnapshot(identifier, change));
    }

    @Override
    public boolean deleteClusterSnapshot(String identifier) {
        return stored(() -> store.deleteClusterSnapshot(identifier));
    }

    /** {@code read}'s answer, a store failure answered as ServiceUnavailable. */
    private static <T> T stored(Supplier<T> read) {
        try {
            return read.get();
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private ClusterDescription describe(ClusterSpec spec, ClusterSnapshot s) {
        ClusterReport report = ClusterReport.of(spec, s);
        EndpointAddresses addresses = EndpointAddresses.of(block, spec, layout.endpoints().port());
        Map<String, String> instances = new LinkedHashMap<>();
        addresses.instances().forEach((name, a) -> instances.put(name, a.getAddress().getHostAddress()));
        Instant created = spec.rds().createdAt() != null ? spec.rds().createdAt() : createTime(spec.name());
        boolean bootstrapped = s.bootstrap().map(Bootstrap::complete).orElse(false);
        return new ClusterDescription(spec, report, engineVersion,
                addresses.writer().getAddress().getHostAddress(), addresses.reader().getAddress().getHostAddress(),
                instances, addresses.writer().getPort(), created, region, bootstrapped);
    }

    /** When a demo cluster's bootstrap completed, from its "bootstrapped" event; null when not kept. */
    private Instant createTime(String cluster) {
        Instant known = createTimes.get(cluster);
        if (known != null) {
            return known;
        }
        try {
            Instant at = store.events(cluster, 1000).stream().filter(e -> e.type().equals("bootstrapped"))
                    .map(ClusterEvent::at).findFirst().orElse(null);
            if (at != null) {
                createTimes.put(cluster, at);
            }
            return at;
        } catch (StoreException e) {
            LOG.debug("cannot read the events of {} for ClusterCreateTime ({}); answering without it", cluster,
                    e.getMessage());
            return null;
        }
    }

    private static ApiException unavailable(StoreException e) {
        return new ApiException(RdsFault.SERVICE_UNAVAILABLE, "The coordination store did not answer ("
                + e.getMessage() + "); retry, or use another agent's API URL.");
    }
}
