package io.multiaz.store;

import org.apache.curator.utils.ZookeeperFactory;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

import java.io.IOException;
import java.time.Duration;

/**
 * Curator's factory for the agents' ZooKeeper clients: each connects through a
 * {@link ServingPeerChooser} that prefers the agent's own peer and reconnects without ZooKeeper's
 * random delay. Curator calls it again for the new client after a session expiry.
 */
public final class ServingPeerZookeeperFactory implements ZookeeperFactory {
    private final String preferred;

    /** @param preferred the agent's own peer as it appears in the connect string ("host:port") */
    public ServingPeerZookeeperFactory(String preferred) {
        this.preferred = preferred;
    }

    @Override
    public ZooKeeper newZooKeeper(String connectString, int sessionTimeout, Watcher watcher, boolean canBeReadOnly)
            throws IOException {
        return newZooKeeper(connectString, sessionTimeout, watcher, canBeReadOnly, new ZKClientConfig());
    }

    @Override
    public ZooKeeper newZooKeeper(String connectString, int sessionTimeout, Watcher watcher, boolean canBeReadOnly,
                                  ZKClientConfig config) throws IOException {
        config = noSasl(config == null ? new ZKClientConfig() : config); // Curator passes null unless configured
        ServingPeerChooser chooser = new ServingPeerChooser(ServingPeerChooser.ordered(connectString, preferred),
                Duration.ofMillis(sessionTimeout));
        return new Client(connectString, sessionTimeout, watcher, canBeReadOnly, chooser, config);
    }

    /**
     * Turns off ZooKeeper's client SASL (we use none): with it on, every connection attempt first
     * looks up the peer's host name (reverse DNS of its address, to name the Kerberos principal), and
     * where the resolver is unreachable (a zone's network namespace in the netns topology) each attempt
     * waited out the resolver's timeout, so no session ever came up (issue 7).
     */
    public static ZKClientConfig noSasl(ZKClientConfig config) {
        config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
        return config;
    }

    /** Exposes the connection object to the chooser (the one field ZooKeeper leaves to subclasses). */
    private static final class Client extends ZooKeeper {
        Client(String connectString, int sessionTimeout, Watcher watcher, boolean canBeReadOnly,
               ServingPeerChooser chooser, ZKClientConfig config) throws IOException {
            super(connectString, sessionTimeout, watcher, canBeReadOnly, chooser, config);
            chooser.attach(cnxn);
        }
    }
}
