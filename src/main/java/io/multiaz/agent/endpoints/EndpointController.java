package io.multiaz.agent.endpoints;

import io.multiaz.model.ClusterReport;

import io.multiaz.config.EndpointLayout;
import io.multiaz.config.LayoutFile;
import io.multiaz.endpoint.Cidr;
import io.multiaz.endpoint.DataPath;
import io.multiaz.endpoint.EndpointAddresses;
import io.multiaz.endpoint.EndpointException;
import io.multiaz.endpoint.NettyProxy;
import io.multiaz.endpoint.Nft;
import io.multiaz.endpoint.NftDataPath;
import io.multiaz.endpoint.Route;
import io.multiaz.endpoint.RoutePlanner;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one cluster's endpoints pointing where the store says: plans the routes
 * ({@link RoutePlanner}) on every store change and applies them through the data path.
 *
 * <p>One agent per kernel owns a cluster's endpoints (a Curator leader latch keyed by the network
 * namespace and the cluster): in the local layout the three agents share one kernel and the
 * cluster's nftables table, and exactly one of them programs it; on another host (or namespace)
 * its own agent does. Every cluster has a table of its own ({@link Nft#tableName(Path, int)}), so
 * controllers of different clusters never flush each other's rules. When the
 * owner dies, its rules keep routing until the next owner (elected within a session timeout)
 * replaces them, so losing an agent does not take an endpoint down.
 *
 * <p>Thread safety: all planning and applying runs on one thread of its own.
 */
public final class EndpointController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointController.class);
    private static final long RESYNC_MILLIS = 1000;

    private final CuratorFramework client;
    private final StorePaths paths;
    private final ClusterStore store;
    private final String cluster;
    private final EndpointLayout layout;
    private final Path layoutFile;
    private volatile RoutePlanner.Policy policy;
    private long layoutModified;
    private final String table;
    private final InetSocketAddress holdListen;
    private final String az;
    private final ScheduledExecutorService thread;
    private LeaderLatch latch;
    private AutoCloseable watch;
    private volatile DataPath dataPath;
    private volatile String dataPathNote = "";
    private volatile List<Route> applied = List.of();
    private volatile String lastError;

    /**
     * @param paths      where the owner is elected ({@link StorePaths#endpointOwner})
     * @param layoutFile multiaz.yaml: the policy part of {@code endpoints} (allowedCidrs, reader lag
     *                   bound and fallback) is re-read when the file changes; the rest needs a restart
     */
    public EndpointController(CuratorFramework client, StorePaths paths, ClusterStore store, String cluster,
                              EndpointLayout layout, Path layoutFile, String table, InetSocketAddress holdListen,
                              String az) {
        this.client = client;
        this.paths = paths;
        this.store = store;
        this.cluster = cluster;
        this.layout = layout;
        this.layoutFile = layoutFile;
        this.policy = policy(layout);
        this.table = table;
        this.holdListen = holdListen;
        this.az = az;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "endpoints-" + cluster);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Where the agents sharing this kernel elect the owner of {@code cluster}'s endpoints: one latch
     * per cluster, so each cluster's owner is elected (and fails over) on its own.
     */
    public static String latchParent(StorePaths paths, String cluster) {
        return paths.endpointElection(namespaceId(), cluster);
    }

    /**
     * Removes the latch nodes of a deleted {@code cluster} once no candidate is left in them (close
     * this agent's controller first); idempotent. It never deletes another agent's candidate: the
     * agents see a deletion each in its own time, and removing the subtree under a latch that still
     * runs made that latch log "failed to find our node" and enter the election again. The last
     * agent to close removes the nodes; ZooKeeper's container cleanup takes them if that agent is down.
     */
    public static void removeLatch(CuratorFramework client, StorePaths paths, String cluster) throws Exception {
        for (String path : List.of(paths.endpointOwner(namespaceId(), cluster), latchParent(paths, cluster))) {
            try {
                client.delete().forPath(path);
            } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
                // already gone: another agent removed it, or the container node vanished by itself
            } catch (org.apache.zookeeper.KeeperException.NotEmptyException e) {
                LOG.debug("endpoint election {} still has candidates; the last agent to close removes it", path);
                return;
            }
        }
    }

    public String cluster() {
        return cluster;
    }

    public void start() throws Exception {
        latch = new LeaderLatch(client, paths.endpointOwner(namespaceId(), cluster), az);
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                run(EndpointController.this::takeOver);
            }

            @Override
            public void notLeader() {
                run(EndpointController.this::resign);
            }
        });
        latch.start();
        watch = store.watch(cluster, change -> run(this::sync));
        thread.scheduleWithFixedDelay(this::sync, RESYNC_MILLIS, RESYNC_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code work} on the controller's thread; after {@link #close} it is dropped. A store
     * watch or the latch may still call in while the controller closes (Curator delivers on its own
     * threads), and the work of a closed controller has nothing left to do.
     */
    void run(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException e) {
            LOG.debug("endpoints of cluster {}: closed, a late store or latch notice dropped", cluster);
        }
    }

    /** What {@code GET /endpoints} shows: whether this agent owns the endpoints, how, and where they point. */
    public Report report() {
        DataPath p = dataPath;
        Map<String, DataPath.EndpointCounters> counters = Map.of();
        if (p != null) {
            try {
                counters = p.counters();
            } catch (RuntimeException e) {
                LOG.debug("endpoint counters unavailable: {}", e.getMessage());
            }
        }
        return new Report(p != null, az, p == null ? null : p.name(), dataPathNote, table, applied.stream()
                .map(r -> new Report.RouteView(r.endpoint(), r.listen().getAddress().getHostAddress() + ":"
                        + r.listen().getPort(), r.targets().stream().map(t -> t.getHostString() + ":" + t.getPort())
                        .toList(), r.hold())).toList(), counters, lastError);
    }

    /** The {@code /endpoints} document. */
    public record Report(boolean owner, String az, String dataPath, String note, String table, List<RouteView> routes,
                  Map<String, DataPath.EndpointCounters> counters, String error) {
        record RouteView(String endpoint, String listen, List<String> targets, boolean hold) {
        }
    }

    private void takeOver() {
        try {
            dataPath = open();
            LOG.info("endpoints of cluster {}: this agent ({}) owns them, data path {}{}", cluster, az,
                    dataPath.name(), dataPathNote.isEmpty() ? "" : " (" + dataPathNote + ")");
            applied = List.of();
            sync();
        } catch (RuntimeException | LinkageError e) {
            lastError = e.toString();
            LOG.error("cannot set up the endpoints of cluster {}: {}", cluster, e.toString(), e);
        }
    }

    private DataPath open() {
        String reason = layout.dataPath().equals("netty") ? "chosen in multiaz.yaml (endpoints.dataPath)"
                : Nft.unavailableReason();
        if (reason == null) {
            dataPathNote = "";
            return new NftDataPath(table, new NettyProxy(layout.holdTimeout()), holdListen);
        }
        if (layout.dataPath().equals("nftables")) {
            throw new EndpointException("endpoints.dataPath is nftables but " + reason
                    + "; run the agents as root, or set endpoints.dataPath to auto or netty in multiaz.yaml");
        }
        dataPathNote = layout.dataPath().equals("netty") ? reason : "Netty fallback: " + reason;
        return new NettyProxy(layout.holdTimeout());
    }

    private void resign() {
        DataPath p = dataPath;
        dataPath = null;
        applied = List.of();
        if (p != null) {
            LOG.info("endpoints of cluster {}: this agent ({}) no longer owns them", cluster, az);
            p.close();
        }
    }

    private void sync() {
        DataPath p = dataPath;
        if (p == null) {
            return;
        }
        try {
            reloadPolicy();
            ClusterSnapshot snapshot = store.read(cluster);
            ClusterSpec spec = snapshot.spec().orElse(null);
            if (spec == null) {
                return;
            }
            List<Route> routes = plan(spec, snapshot);
            if (!routes.equals(applied)) {
                p.apply(routes);
                applied = routes;
                lastError = null;
                LOG.info("endpoints of cluster {} now: {}", cluster, describe(routes));
            }
            acknowledgeHold(snapshot.request().orElse(null), routes);
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            LOG.warn("endpoints of cluster {} not updated: {}", cluster, e.getMessage());
        }
    }

    private static RoutePlanner.Policy policy(EndpointLayout e) {
        return new RoutePlanner.Policy(e.readerMaxLagBytes(), e.readerFallbackToWriter(),
                e.allowedCidrs().stream().map(Cidr::parse).toList());
    }

    /** Picks up a changed policy in multiaz.yaml; a bad file changes nothing (logged). */
    private void reloadPolicy() {
        try {
            long modified = Files.getLastModifiedTime(layoutFile).toMillis();
            if (modified == layoutModified) {
                return;
            }
            layoutModified = modified;
            RoutePlanner.Policy next = policy(LayoutFile.read(layoutFile).endpoints());
            if (!next.equals(policy)) {
                LOG.info("endpoint policy changed in {}: allowed {}, reader lag bound {} bytes, fallback to writer {}",
                        layoutFile, next.allowedCidrs(), next.readerMaxLagBytes(), next.readerFallbackToWriter());
                policy = next;
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("endpoint policy in {} not applied: {}; fix the file (the previous policy stays)", layoutFile,
                    e.getMessage());
        }
    }

    /**
     * Tells the writer of a pending switchover that the writer endpoint holds new connections now,
     * so it may stop: no new connection reaches it while it does (RequestRule waits for this).
     */
    private void acknowledgeHold(OperatorRequest request, List<Route> routes) {
        if (request == null || request.endpointsHeldAt() != null
                || routes.stream().noneMatch(r -> r.endpoint().equals("writer") && r.hold())) {
            return;
        }
        Instant now = Instant.now();
        if (store.updateRequest(cluster, cur -> cur.sameRequest(request) && cur.endpointsHeldAt() == null
                ? cur.withEndpointsHeldAt(now) : null)) {
            LOG.info("the writer endpoint holds new connections for the {} requested at {}", request.kind(),
                    request.requestedAt());
        }
    }

    private List<Route> plan(ClusterSpec spec, ClusterSnapshot snapshot) {
        ClusterReport report = ClusterReport.of(spec, snapshot);
        EndpointAddresses addresses = EndpointAddresses.of(Cidr.parse(layout.network()), spec, layout.port());
        List<RoutePlanner.Member> members = report.members().stream()
                .map(m -> new RoutePlanner.Member(m.name(), m.host(), m.port(), m.role(), m.state(), m.streaming(),
                        m.lagBytes()))
                .toList();
        return RoutePlanner.plan(report.leader(), report.request(), members, addresses, policy);
    }

    private static String describe(List<Route> routes) {
        StringBuilder s = new StringBuilder();
        for (Route r : routes) {
            s.append(s.isEmpty() ? "" : ", ").append(r.endpoint()).append(" → ")
                    .append(r.hold() ? "hold" : r.targets().isEmpty() ? "refuse" : r.targets().stream()
                            .map(t -> Integer.toString(t.getPort())).toList());
        }
        return s.toString();
    }

    /** The network namespace's inode ("4026531840"): agents sharing one share a kernel and a table. */
    public static String namespaceId() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            return link.replaceAll("[^0-9]", "");
        } catch (IOException | UnsupportedOperationException e) {
            return "default";
        }
    }

    @Override
    public void close() {
        try {
            if (watch != null) {
                watch.close();
            }
            if (latch != null) {
                latch.close(LeaderLatch.CloseMode.SILENT);
            }
        } catch (Exception e) {
            LOG.debug("closing the endpoint latch: {}", e.toString());
        }
        run(this::resign);
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
