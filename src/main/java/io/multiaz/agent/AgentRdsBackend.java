package io.multiaz.agent;

import io.multiaz.api.ApiException;
import io.multiaz.api.ClusterDescription;
import io.multiaz.api.RdsBackend;
import io.multiaz.api.RdsFault;
import io.multiaz.agent.InstanceSupervisor.Observed;
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

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The RDS API's view of this agent's cluster: the latest observation of the agent's instance
 * (the same one {@code GET /cluster} answers with), the endpoint addresses of the layout, the
 * engine version of the installed server, and switchovers filed through {@link ClusterOperations}.
 * Called on the API server's threads; the cached create time is set once, atomically.
 */
final class AgentRdsBackend implements RdsBackend {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRdsBackend.class);

    private final Supplier<List<InstanceSupervisor>> supervisors;
    private final ClusterOperations operations;
    private final ClusterStore store;
    private final EndpointAddresses addresses;
    private final String engineVersion;
    private final String region;
    private final AtomicReference<Instant> createTime = new AtomicReference<>();
    private final Supplier<List<EngineParameter>> engineParameters;
    private final AtomicReference<List<EngineParameter>> engineParametersRead = new AtomicReference<>();

    /** {@code engineParameters} is called once, on the first request that needs them (then kept). */
    AgentRdsBackend(Supplier<List<InstanceSupervisor>> supervisors, ClusterOperations operations, ClusterStore store,
                    Layout layout, String engineVersion, Supplier<List<EngineParameter>> engineParameters) {
        this.engineParameters = engineParameters;
        this.supervisors = supervisors;
        this.operations = operations;
        this.store = store;
        this.addresses = EndpointAddresses.of(Cidr.parse(layout.endpoints().network()), 0, layout.demo(),
                layout.endpoints().port());
        this.engineVersion = engineVersion;
        this.region = layout.api().region();
    }

    @Override
    public ClusterDescription describe() {
        Observed o = observed();
        return describe(o, HealthServer.report(o));
    }

    @Override
    public ClusterDescription switchover(String cluster, String target) {
        Observed o = observed();
        try {
            OperatorRequest filed = operations.request(o, OperatorRequest.Kind.SWITCHOVER, target, false);
            ClusterReport r = HealthServer.report(o);
            return describe(o, new ClusterReport(r.cluster(), r.leader(), r.epoch(), r.paused(), filed, r.members(),
                    r.syncStandbys(), r.waitingCommits(), r.commitsWait()));
        } catch (ClusterOperations.Rejected e) {
            throw new ApiException(e.status == 409 ? RdsFault.INVALID_DB_CLUSTER_STATE
                    : RdsFault.INVALID_PARAMETER_VALUE, e.getMessage());
        } catch (StoreException e) {
            throw unavailable(e);
        }
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

    /** {@code read}'s answer, a store failure answered as ServiceUnavailable. */
    private static <T> T stored(Supplier<T> read) {
        try {
            return read.get();
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    private ClusterDescription describe(Observed o, ClusterReport report) {
        Map<String, String> instances = new LinkedHashMap<>();
        addresses.instances().forEach((name, a) -> instances.put(name, a.getAddress().getHostAddress()));
        return new ClusterDescription(o.view().spec(), report, engineVersion,
                addresses.writer().getAddress().getHostAddress(), addresses.reader().getAddress().getHostAddress(),
                instances, addresses.writer().getPort(), createTime(o.view().spec().name()), region);
    }

    private Observed observed() {
        return supervisors.get().stream().map(InstanceSupervisor::latest).flatMap(java.util.Optional::stream)
                .findFirst().orElseThrow(() -> new ApiException(RdsFault.SERVICE_UNAVAILABLE, "This agent has not"
                        + " observed its cluster yet; retry in a moment, or ask another agent."));
    }

    /** When the bootstrap completed, from the cluster's "bootstrapped" event; null when not kept. */
    private Instant createTime(String cluster) {
        Instant known = createTime.get();
        if (known != null) {
            return known;
        }
        try {
            Instant at = store.events(cluster, 1000).stream().filter(e -> e.type().equals("bootstrapped"))
                    .map(ClusterEvent::at).findFirst().orElse(null);
            if (at != null) {
                createTime.compareAndSet(null, at);
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
