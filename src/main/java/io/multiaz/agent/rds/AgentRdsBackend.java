package io.multiaz.agent.rds;

import io.multiaz.agent.ha.ClusterOperations;
import io.multiaz.api.ApiException;
import io.multiaz.api.ClusterDescription;
import io.multiaz.api.RdsBackend;
import io.multiaz.api.RdsFault;
import io.multiaz.config.Layout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.engine.PgValueCheck;
import io.multiaz.model.BackupStatus;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.EngineParameter;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.OperatorRequest;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.Clusters;
import io.multiaz.store.Records;
import io.multiaz.store.StoreException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import static io.multiaz.api.StoreCalls.stored;
import static io.multiaz.api.StoreCalls.unavailable;

/**
 * The RDS API's way into the deployment: its facts (region, zones, ports, engine), the clusters as
 * the store has them now ({@link ClusterDescriptions}), placement of new instances on the zones'
 * hosts and ports ({@link InstancePlacement}), and the calls that reach the clusters: switchovers filed through
 * {@link ClusterOperations}, the master password set on the writer, restarts asked of an
 * instance's agent ({@link InstanceRestarts}). Called on the API server's threads; it keeps no state
 * but caches of facts that never change (engine parameters, create times of demo clusters).
 */
public final class AgentRdsBackend implements RdsBackend {
    private final ClusterOperations operations;
    private final ClusterStore store;
    private final Layout layout;
    private final ClusterDescriptions descriptions;
    private final InstancePlacement placement;
    private final InstanceRestarts restarts;
    private final String engineVersion;
    private final EngineParameters engineParameters;
    private final PgValueCheck valueCheck;

    /** {@code engineParameters} is called once, on the first request that needs them (then kept). */
    public AgentRdsBackend(ClusterOperations operations, ClusterStore store, Clusters clusters,
                           Records<BackupStatus> backups, Layout layout,
                           String engineVersion, Supplier<List<EngineParameter>> engineParameters,
                           PgValueCheck valueCheck) {
        this.operations = operations;
        this.store = store;
        this.layout = layout;
        this.descriptions = new ClusterDescriptions(store, clusters, backups, layout, engineVersion);
        this.placement = new InstancePlacement(layout);
        this.restarts = new InstanceRestarts(store, layout.operatorToken());
        this.engineVersion = engineVersion;
        this.engineParameters = new EngineParameters(engineParameters);
        this.valueCheck = valueCheck;
    }

    @Override
    public String region() {
        return layout.api().region();
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
        return descriptions.all();
    }

    @Override
    public Optional<ClusterDescription> cluster(String name) {
        return descriptions.of(name);
    }

    @Override
    public InstanceSpec place(int slot, int ordinal, String name, String az, String instanceClass) {
        return placement.place(slot, ordinal, name, az, instanceClass);
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
        restarts.reboot(cluster, instance);
    }

    @Override
    public List<EngineParameter> engineParameters() {
        return engineParameters.get();
    }

    @Override
    public Optional<String> parameterValueRefusal(String parameter, String value) {
        return valueCheck.refusal(parameter, value);
    }
}
