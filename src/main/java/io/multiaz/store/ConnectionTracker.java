package io.multiaz.store;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows a Curator client's connection state for {@link CuratorClusterStore}. Until the first state
 * change it reports the ZooKeeper client's own view, since a listener added to an already connected
 * client hears no CONNECTED. Curator calls {@link #stateChanged} on its connection-state thread, in order.
 */
final class ConnectionTracker implements ConnectionStateListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTracker.class);

    private final CuratorFramework client;
    private final AtomicReference<Boolean> connected = new AtomicReference<>();

    ConnectionTracker(CuratorFramework client) {
        this.client = client;
    }

    @Override
    public void stateChanged(CuratorFramework ignored, ConnectionState newState) {
        boolean up = newState == ConnectionState.CONNECTED || newState == ConnectionState.RECONNECTED;
        connected.set(up);
        LOG.info("ZooKeeper connection {}: the cluster store is {}", newState, up ? "available" : "unavailable");
    }

    boolean connected() {
        Boolean known = connected.get();
        return known != null ? known : client.getZookeeperClient().isConnected();
    }
}
