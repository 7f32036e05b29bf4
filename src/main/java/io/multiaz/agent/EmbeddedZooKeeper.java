package io.multiaz.agent;

import io.multiaz.config.ZoneLayout;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This zone's peer of the ZooKeeper quorum, run inside the agent process. Its data survives
 * restarts in {@code dataDir}; with three zones, any two peers form a quorum.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} any number of times.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private final ZoneLayout me;
    private final List<ZoneLayout> peers;
    private final Path dataDir;
    private final Duration tick;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ZooKeeperServerEmbedded server;

    /**
     * @param tick ZooKeeper's tickTime: heartbeats between peers and the unit of session timeouts
     */
    public EmbeddedZooKeeper(ZoneLayout me, List<ZoneLayout> peers, Path dataDir, Duration tick) {
        this.me = me;
        this.peers = List.copyOf(peers);
        this.dataDir = dataDir;
        this.tick = tick;
    }

    /** Starts the peer; it joins the quorum in the background (returns before a leader is elected). */
    public synchronized void start() throws Exception {
        Files.createDirectories(dataDir.resolve("conf"));
        Files.writeString(dataDir.resolve("myid"), Integer.toString(me.id()), StandardCharsets.US_ASCII);
        server = ZooKeeperServerEmbedded.builder()
                .baseDir(dataDir.resolve("conf"))
                .configuration(properties())
                // a peer that dies takes its agent with it: 'up' and operators then see the cause at once
                .exitHandler(ExitHandler.EXIT)
                .build();
        server.start();
        LOG.info("ZooKeeper peer {} of {} started on {}:{} (data in {})", me.id(), peers.size(), me.host(),
                me.zkClientPort(), dataDir);
    }

    public Properties properties() throws IOException {
        Properties p = new Properties();
        long tickMillis = tick.toMillis();
        p.setProperty("tickTime", Long.toString(tickMillis));
        // followers must sync within initLimit ticks and stay in touch within syncLimit ticks
        p.setProperty("initLimit", Long.toString(Math.max(10, 20_000 / tickMillis)));
        p.setProperty("syncLimit", Long.toString(Math.max(5, 2_000 / tickMillis)));
        p.setProperty("minSessionTimeout", Long.toString(2 * tickMillis));
        p.setProperty("maxSessionTimeout", "60000");
        p.setProperty("dataDir", dataDir.toAbsolutePath().toString());
        p.setProperty("clientPort", Integer.toString(me.zkClientPort()));
        p.setProperty("clientPortAddress", me.host());
        p.setProperty("admin.enableServer", "false");
        p.setProperty("4lw.commands.whitelist", "ruok,srvr,mntr");
        p.setProperty("autopurge.snapRetainCount", "3");
        p.setProperty("autopurge.purgeInterval", "1");
        p.setProperty("metricsProvider.className",
                "org.apache.zookeeper.metrics.impl.DefaultMetricsProvider");
        if (peers.size() > 1) {
            for (ZoneLayout z : peers) {
                p.setProperty("server." + z.id(), z.host() + ":" + z.zkQuorumPort() + ":" + z.zkElectionPort());
            }
        }
        return p;
    }

    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true) && server != null) {
            LOG.info("stopping ZooKeeper peer {}", me.id());
            server.close();
        }
    }
}
