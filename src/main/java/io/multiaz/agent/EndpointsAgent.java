package io.multiaz.agent;

import io.multiaz.runner.InstanceRunner;
import io.multiaz.agent.reconcile.ClusterReconciler;
import io.multiaz.agent.endpoints.ClusterEndpoints;
import io.multiaz.agent.http.HealthServer;

import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.CuratorClusterStore;
import io.multiaz.store.RdsRecords;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An endpoints-only agent of the netns topology ({@code multiaz agent --endpoints-only [NAME]}), run
 * in the root network namespace where the clients are and no zone agent runs: kube-proxy's "DNAT on
 * every client host". It is a ZooKeeper client only (no peer, no instances, no RDS API) and runs
 * the same per-cluster endpoint controllers as a zone agent (a {@link ClusterReconciler} with no
 * instances to run). Two run ({@link Layout#ENDPOINTS_AGENTS}); per cluster, the one elected owns
 * the root namespace's nftables table and the other takes over when it dies, as the zone agents of
 * the local topology do. Its writer hold listener is on {@link Layout#endpointsAgentHold(String)}
 * and {@code GET /endpoints} on {@link Layout#endpointsAgentHttp(String)}.
 *
 * <p>Lifecycle: {@link #start} builds and starts everything; {@link #close()} stops it. Idempotent.
 */
public final class EndpointsAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointsAgent.class);

    private final Layout layout;
    private final Layout.Paths paths;
    private final String label;
    private final ScheduledExecutorService reconcilerThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private CuratorFramework client;
    private ClusterStore store;
    private HealthServer http;
    private ClusterReconciler reconciler;

    private EndpointsAgent(Path stateDir, Layout layout, String label) {
        this.layout = layout;
        this.paths = new Layout.Paths(stateDir);
        this.label = label;
        this.reconcilerThread = AgentProcess.daemonThread("reconciler-" + label);
    }

    /**
     * Starts the endpoints-only agent {@code label} (one of {@link Layout#ENDPOINTS_AGENTS}) of the
     * deployment in {@code stateDir}.
     *
     * @throws IllegalArgumentException when {@code label} is not one of them
     */
    public static EndpointsAgent start(Path stateDir, String label) throws Exception {
        Layout layout = LayoutFile.read(new Layout.Paths(stateDir).layoutFile());
        layout.endpointsAgentHold(label); // checks the label before anything starts
        EndpointsAgent agent = new EndpointsAgent(stateDir, layout, label);
        try {
            agent.startAll();
            return agent;
        } catch (Exception e) {
            agent.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        writePidFile();
        // no preferred peer: the endpoints agent has no zone of its own; the factory turns client SASL off
        client = AgentProcess.coordinationClient(layout, new io.multiaz.store.ServingPeerZookeeperFactory(null));
        StorePaths storePaths = StorePaths.defaults();
        store = new CuratorClusterStore(client, storePaths);
        RdsRecords records = RdsRecords.onZooKeeper(client, storePaths, store);
        http = new HealthServer(List::of, AgentProcess.operatorAuth(layout, paths)).start(layout.endpointsAgentHttp(label).getHostString(),
                layout.endpointsAgentHttp(label).getPort());
        client.getConnectionStateListenable().addListener((c, state) -> LOG.info("coordination session: {}", state));
        AgentProcess.awaitQuorum(client, layout);
        ClusterEndpoints endpoints = new ClusterEndpoints(client, storePaths, store, records.clusters(), layout.endpoints(),
                paths.layoutFile(), paths.root(), label, layout.endpointsAgentHold(label));
        http.endpoints(endpoints::report);
        reconciler = new ClusterReconciler(store, records.clusters(), records.clusterSnapshots(), label,
                NO_INSTANCES, java.util.List.of(endpoints), reconcilerThread);
        AgentProcess.runReconciler(reconciler, reconcilerThread);
        LOG.info("endpoints agent {} ready: HTTP on {}, writer hold listener on {}; programming the endpoints of "
                + "every cluster in this (root) network namespace whenever it owns them", label,
                layout.endpointsAgentUrl(label), layout.endpointsAgentHold(label));
    }

    /** No instance is placed in the pseudo-zone of an endpoints agent, so this is never asked to run one. */
    private static final InstanceRunner NO_INSTANCES = new InstanceRunner() {
        @Override
        public Running start(ClusterSpec spec, InstanceSpec instance) {
            throw new IllegalStateException("the endpoints agent runs no instances (asked for " + instance.name() + ")");
        }

        @Override
        public void remove(String cluster, InstanceSpec instance) {
            // it never ran one, so nothing of one is here
        }

        @Override
        public SnapshotFiles snapshot(String cluster, InstanceSpec instance, String snapshot) {
            throw new IllegalStateException("the endpoints agent holds no data to snapshot (asked for " + snapshot + ")");
        }

        @Override
        public void removeSnapshot(String snapshot) {
            // no snapshot files are ever kept in the pseudo-zone of the endpoints agent
        }
    };

    private void writePidFile() throws IOException {
        AgentProcess.writePidFile(paths, label);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("endpoints agent stopping");
        AgentProcess.stopReconciler(reconciler, reconcilerThread, Duration.ofSeconds(30),
                "closing the endpoint controllers");
        if (http != null) {
            http.close();
        }
        if (store != null) {
            store.close();
        }
        if (client != null) {
            client.close();
        }
        AgentProcess.deletePidFile(paths, label);
        LOG.info("endpoints agent stopped");
    }
}
