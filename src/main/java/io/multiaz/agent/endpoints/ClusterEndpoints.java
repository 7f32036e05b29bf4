package io.multiaz.agent.endpoints;

import io.multiaz.runner.ClusterRunner;

import io.multiaz.config.EndpointLayout;
import io.multiaz.endpoint.Cidr;
import io.multiaz.endpoint.EndpointAddresses;
import io.multiaz.endpoint.Nft;
import io.multiaz.model.ClusterSpec;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.Clusters;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoints' {@link ClusterRunner} of the agent: one {@link EndpointController} per cluster, each with
 * its own nftables table ({@link Nft#tableName(Path, int)} of the cluster's slot) and its own hold
 * listener on the agent's proxy port: the agent's host for slot 0 (the demo cluster, as before), the
 * cluster's writer endpoint address for the others (every cluster has its own writer address, so
 * one port per agent serves them all; the writer's DNAT rule matches the endpoint port only). The
 * agent is a zone's (its host and proxy port) or, in the netns topology, the endpoints-only agent
 * of the root namespace ({@link io.multiaz.config.Layout#endpointsAgentHold()}).
 *
 * <p>Thread safety: {@link #start} and {@link #remove} on the reconciler's thread; {@link #report}
 * from any thread.
 */
public final class ClusterEndpoints implements ClusterRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEndpoints.class);

    private final CuratorFramework client;
    private final StorePaths paths;
    private final ClusterStore store;
    private final Clusters clusters;
    private final EndpointLayout layout;
    private final Path layoutFile;
    private final Path stateDir;
    private final String owner;
    private final InetSocketAddress hold;
    private final Map<Integer, EndpointController> bySlot = new ConcurrentHashMap<>();

    public ClusterEndpoints(CuratorFramework client, StorePaths paths, ClusterStore store, Clusters clusters,
                            EndpointLayout layout, Path layoutFile, Path stateDir, String owner, InetSocketAddress hold) {
        this.client = client;
        this.paths = paths;
        this.store = store;
        this.clusters = clusters;
        this.layout = layout;
        this.layoutFile = layoutFile;
        this.stateDir = stateDir;
        this.owner = owner;
        this.hold = hold;
    }

    /**
     * Where the writer endpoint of {@code spec} holds new connections on this agent: {@code hold}
     * (the agent's host and proxy port) for slot 0, the cluster's writer address and that port for the others.
     */
    public static InetSocketAddress holdListen(ClusterSpec spec, EndpointLayout layout, InetSocketAddress hold) {
        if (spec.rds().slot() == 0) {
            return hold;
        }
        InetSocketAddress writer = EndpointAddresses.of(Cidr.parse(layout.network()), spec, layout.port()).writer();
        return new InetSocketAddress(writer.getAddress(), hold.getPort());
    }

    @Override
    public String name() {
        return "endpoints";
    }

    @Override
    public AutoCloseable start(ClusterSpec spec) {
        int slot = spec.rds().slot();
        String table = Nft.tableName(stateDir, slot);
        InetSocketAddress listen = holdListen(spec, layout, hold);
        EndpointController controller = new EndpointController(client, paths, store, spec.name(), layout, layoutFile,
                table, listen, owner);
        try {
            controller.start();
        } catch (Exception e) {
            controller.close();
            throw new IllegalStateException("cannot start the endpoints of cluster " + spec.name() + ": " + e, e);
        }
        bySlot.put(slot, controller);
        LOG.info("endpoints of cluster {} (slot {}): table {}, writer hold listener {}:{}", spec.name(), slot, table,
                listen.getAddress().getHostAddress(), listen.getPort());
        return () -> {
            bySlot.remove(slot, controller);
            controller.close();
        };
    }

    @Override
    public void remove(ClusterSpec lastSpec) {
        String table = Nft.tableName(stateDir, lastSpec.rds().slot());
        if (bySlot.containsKey(lastSpec.rds().slot()) || slotInUse(lastSpec.rds().slot())) {
            // a new cluster took the slot already and owns the table now (its owner may be another agent)
            LOG.info("slot {} of deleted cluster {} is in use again; leaving table {} to its new cluster",
                    lastSpec.rds().slot(), lastSpec.name(), table);
        } else if (Nft.delete(table)) {
            LOG.info("removed the nftables table {} of deleted cluster {}", table, lastSpec.name());
        }
        try {
            EndpointController.removeLatch(client, paths, lastSpec.name());
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove the endpoint owner election of deleted cluster "
                    + lastSpec.name() + " (" + EndpointController.latchParent(paths, lastSpec.name()) + "): " + e, e);
        }
    }

    private boolean slotInUse(int slot) {
        for (String cluster : clusters.names()) {
            if (store.read(cluster).spec().map(s -> s.rds().slot() == slot).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code /endpoints} report of {@code cluster}, or of the cluster in slot 0 (the demo cluster)
     * when it is null; "not owner" when this agent runs no endpoints of it.
     */
    public Object report(String cluster) {
        EndpointController c = cluster == null ? bySlot.get(0) : bySlot.values().stream()
                .filter(e -> e.cluster().equals(cluster)).findFirst().orElse(null);
        return c == null ? Map.of("owner", false) : c.report();
    }
}
