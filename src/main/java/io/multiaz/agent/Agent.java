package io.multiaz.agent;

import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.config.ZoneLayout;
import io.multiaz.engine.DatabaseEngine;
import io.multiaz.engine.EngineSettings;
import io.multiaz.engine.PostgresEngine;
import io.multiaz.ha.HaPolicy;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.CuratorClusterStore;
import io.multiaz.store.StoreException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One availability zone's agent: runs the zone's ZooKeeper peer, connects to the quorum, and runs
 * an HA loop for every instance the cluster specs place in its zone; serves the health API.
 *
 * <p>Lifecycle: {@link #start} builds and starts everything; {@link #close()} stops the loops,
 * the database servers, the health API and the ZooKeeper peer, in that order. Idempotent.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    public static final String STORE_ROOT = "/multiaz";

    private final Layout layout;
    private final ZoneLayout zone;
    private final Layout.Paths paths;
    private final EmbeddedZooKeeper zookeeper;
    private final List<InstanceSupervisor> supervisors = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService loops;
    private final AtomicBoolean closed = new AtomicBoolean();
    private CuratorFramework client;
    private ClusterStore store;
    private HealthServer health;

    private Agent(Path stateDir, Layout layout, ZoneLayout zone) {
        this.layout = layout;
        this.zone = zone;
        this.paths = new Layout.Paths(stateDir);
        this.zookeeper = new EmbeddedZooKeeper(zone, layout.zones(), paths.zkDir(zone.az()), Duration.ofMillis(200));
        this.loops = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "ha-loop-" + zone.az());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the agent of zone {@code az} from the layout in {@code stateDir}. */
    public static Agent start(Path stateDir, String az) throws Exception {
        Layout layout = LayoutFile.read(new Layout.Paths(stateDir).layoutFile());
        ZoneLayout zone = layout.zone(az).orElseThrow(() -> new IllegalArgumentException("zone " + az
                + " is not in " + stateDir + "/multiaz.yaml; zones there: "
                + layout.zones().stream().map(ZoneLayout::az).toList()));
        Agent agent = new Agent(stateDir, layout, zone);
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
        health = new HealthServer(() -> supervisors).start(zone.host(), zone.healthPort());
        zookeeper.start();
        client = CuratorFrameworkFactory.builder()
                .connectString(layout.zkConnect())
                .sessionTimeoutMs((int) layout.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(layout.sessionTimeout().toMillis(), 3000))
                .retryPolicy(new RetryNTimes(2, 100))
                .build();
        client.start();
        store = new CuratorClusterStore(client, STORE_ROOT);
        awaitQuorum();
        ClusterSpec spec = putSpec(layout.demo());
        for (InstanceSpec instance : spec.instances()) {
            if (instance.az().equals(zone.az())) {
                startSupervisor(spec, instance);
            }
        }
        LOG.info("agent {} ready: health API on {}, {} instance(s)", zone.az(), zone.healthUrl(), supervisors.size());
    }

    private void awaitQuorum() throws InterruptedException {
        long started = System.nanoTime();
        while (!client.blockUntilConnected(5, TimeUnit.SECONDS)) {
            long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            LOG.info("waiting for a ZooKeeper quorum ({} s so far): at least 2 of the {} agents must be running",
                    waited, layout.zones().size());
        }
    }

    private ClusterSpec putSpec(ClusterSpec spec) throws InterruptedException {
        while (true) {
            try {
                return store.putSpecIfAbsent(spec);
            } catch (StoreException e) {
                LOG.info("cannot write the spec of cluster {} yet ({}); retrying", spec.name(), e.getMessage());
                Thread.sleep(500);
            }
        }
    }

    private void startSupervisor(ClusterSpec spec, InstanceSpec instance) {
        EngineSettings settings = new EngineSettings(Path.of(layout.pgBinDir()),
                paths.instanceDir(spec.name(), instance.name()), layout.runAs(), instance, spec.databaseName(),
                spec.credentials(), List.of("127.0.0.1/32"), spec.parameters());
        DatabaseEngine engine = new PostgresEngine(settings);
        InstanceSupervisor supervisor = new InstanceSupervisor(spec, instance.name(), engine, store, new HaPolicy(),
                Clock.systemUTC(), zone.healthUrl());
        supervisors.add(supervisor);
        loops.scheduleWithFixedDelay(() -> runCycle(supervisor), 0, layout.tick().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("supervising {} of cluster {} (port {})", instance.name(), spec.name(), instance.port());
    }

    private static void runCycle(InstanceSupervisor supervisor) {
        try {
            supervisor.cycle();
        } catch (RuntimeException e) {
            // a cycle never throws by contract; keep the loop alive if one does
            LOG.error("{}: HA cycle failed unexpectedly; trying again next tick", supervisor.instance(), e);
        }
    }

    private void writePidFile() throws IOException {
        Files.createDirectories(paths.runDir());
        Files.writeString(paths.agentPidFile(zone.az()), Long.toString(ProcessHandle.current().pid()));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("agent {} stopping", zone.az());
        loops.shutdown();
        try {
            if (!loops.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("an HA cycle is still running after 60 s; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        supervisors.forEach(InstanceSupervisor::shutdown);
        if (health != null) {
            health.close();
        }
        if (store != null) {
            store.close();
        }
        if (client != null) {
            client.close();
        }
        zookeeper.close();
        try {
            Files.deleteIfExists(paths.agentPidFile(zone.az()));
        } catch (IOException e) {
            LOG.warn("cannot remove pid file {}: {}; 'multiaz up' checks it is stale", paths.agentPidFile(zone.az()),
                    e.getMessage());
        }
        LOG.info("agent {} stopped", zone.az());
    }
}
