package io.multiaz.agent;

import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.CuratorClusterStore;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The endpoints-only agent of the netns topology ({@code multiaz agent --endpoints-only}), run in
 * the root network namespace where the clients are and no zone agent runs: kube-proxy's "DNAT on
 * every client host". It is a ZooKeeper client only (no peer, no instances, no RDS API) and runs
 * the same per-cluster endpoint controllers as a zone agent (a {@link ClusterReconciler} with no
 * instances to run), owning the root namespace's nftables tables; its writer hold listener is on
 * {@link Layout#endpointsAgentHold()} and {@code GET /endpoints} on {@link Layout#endpointsAgentHttp()}.
 *
 * <p>Lifecycle: {@link #start} builds and starts everything; {@link #close()} stops it. Idempotent.
 */
public final class EndpointsAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointsAgent.class);

    private final Layout layout;
    private final Layout.Paths paths;
    private final ScheduledExecutorService reconcilerThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private CuratorFramework client;
    private ClusterStore store;
    private HealthServer http;
    private ClusterReconciler reconciler;

    private EndpointsAgent(Path stateDir, Layout layout) {
        this.layout = layout;
        this.paths = new Layout.Paths(stateDir);
        this.reconcilerThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reconciler-" + Layout.ENDPOINTS_AGENT);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the endpoints-only agent of the deployment in {@code stateDir}. */
    public static EndpointsAgent start(Path stateDir) throws Exception {
        Layout layout = LayoutFile.read(new Layout.Paths(stateDir).layoutFile());
        EndpointsAgent agent = new EndpointsAgent(stateDir, layout);
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
        store = new CuratorClusterStore(client, StorePaths.DEFAULT_ROOT);
        http = new HealthServer(List::of).start(layout.endpointsAgentHttp().getHostString(),
                layout.endpointsAgentHttp().getPort());
        client.getConnectionStateListenable().addListener((c, state) -> LOG.info("coordination session: {}", state));
        AgentProcess.awaitQuorum(client, layout);
        ClusterEndpoints endpoints = new ClusterEndpoints(client, store, layout.endpoints(), paths.layoutFile(),
                paths.root(), Layout.ENDPOINTS_AGENT, layout.endpointsAgentHold());
        http.endpoints(endpoints::demoReport);
        reconciler = new ClusterReconciler(store, Layout.ENDPOINTS_AGENT, NO_INSTANCES, endpoints, reconcilerThread);
        reconciler.start();
        reconcilerThread.scheduleWithFixedDelay(reconciler::trigger, 1, 1, TimeUnit.SECONDS);
        LOG.info("endpoints agent ready: HTTP on {}, writer hold listener on {}; programming the endpoints of every "
                + "cluster in this (root) network namespace", layout.endpointsAgentUrl(), layout.endpointsAgentHold());
    }

    /** No instance is placed in the pseudo-zone {@value Layout#ENDPOINTS_AGENT}, so this is never asked to run one. */
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
        AgentProcess.writePidFile(paths, Layout.ENDPOINTS_AGENT);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("endpoints agent stopping");
        reconcilerThread.shutdown();
        try {
            if (!reconcilerThread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a reconciler pass still runs after 30 s; closing the endpoint controllers anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reconciler != null) {
            reconciler.close();
        }
        if (http != null) {
            http.close();
        }
        if (store != null) {
            store.close();
        }
        if (client != null) {
            client.close();
        }
        try {
            Files.deleteIfExists(paths.agentPidFile(Layout.ENDPOINTS_AGENT));
        } catch (IOException e) {
            LOG.warn("cannot remove pid file {}: {}; 'multiaz up' checks it is stale",
                    paths.agentPidFile(Layout.ENDPOINTS_AGENT), e.getMessage());
        }
        LOG.info("endpoints agent stopped");
    }
}
