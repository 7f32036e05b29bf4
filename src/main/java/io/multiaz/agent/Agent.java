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
import io.multiaz.model.SyncStandbys;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.CuratorClusterStore;
import io.multiaz.store.StoreException;
import io.multiaz.endpoint.Nft;
import io.multiaz.store.ServingPeerZookeeperFactory;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    private final Layout layout;
    private final ZoneLayout zone;
    private final Layout.Paths paths;
    private final EmbeddedZooKeeper zookeeper;
    private final List<InstanceSupervisor> supervisors = new CopyOnWriteArrayList<>();
    private final List<HaLoop> loops = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> watches = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watchdogRefresher;
    private final java.util.Map<InstanceSupervisor, Watchdog> watchdogs = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private EndpointController endpoints;
    private CuratorFramework client;
    private ClusterStore store;
    private HealthServer health;
    private io.multiaz.api.RdsApiServer api;

    private Agent(Path stateDir, Layout layout, ZoneLayout zone) {
        this.layout = layout;
        this.zone = zone;
        this.paths = new Layout.Paths(stateDir);
        this.zookeeper = new EmbeddedZooKeeper(zone, layout.zones(), paths.zkDir(zone.az()), Duration.ofMillis(200));
        this.watchdogRefresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "watchdog-refresher-" + zone.az());
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
        zookeeper.start();
        client = CuratorFrameworkFactory.builder()
                .connectString(layout.zkConnect())
                .sessionTimeoutMs((int) layout.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(layout.sessionTimeout().toMillis(), 3000))
                .retryPolicy(new RetryNTimes(2, 100))
                .zookeeperFactory(new ServingPeerZookeeperFactory(zone.zkConnect()))
                .ensembleTracker(false)
                .build();
        client.start();
        store = new CuratorClusterStore(client, StorePaths.DEFAULT_ROOT);
        ClusterOperations operations = new ClusterOperations(store, Clock.systemUTC());
        health = new HealthServer(() -> supervisors, operations).start(zone.host(), zone.healthPort());
        startApi(operations);
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        awaitQuorum();
        watchdogRefresher.scheduleWithFixedDelay(this::refreshWatchdogs, 100, 100, TimeUnit.MILLISECONDS);
        ClusterSpec spec = putSpec(layout.demo());
        for (InstanceSpec instance : spec.instances()) {
            if (instance.az().equals(zone.az())) {
                startSupervisor(spec, instance);
            }
        }
        endpoints = new EndpointController(client, store, spec.name(), layout.endpoints(), paths.layoutFile(),
                Nft.tableName(paths.root()),
                new InetSocketAddress(zone.host(), zone.proxyPort()), zone.az());
        endpoints.start();
        health.endpoints(endpoints::report);
        LOG.info("agent {} ready: health API on {}, {} instance(s)", zone.az(), zone.healthUrl(), supervisors.size());
    }

    /** Serves the RDS API on the zone's API port, unless the layout has no key yet (written before the API). */
    private void startApi(ClusterOperations operations) {
        if (layout.api() == null) {
            LOG.warn("no RDS API key in {}; run 'multiaz up' to create one, then restart this agent to serve the API",
                    paths.layoutFile());
            return;
        }
        var binaries = io.multiaz.engine.PgBinaries.in(Path.of(layout.pgBinDir()));
        String version = binaries.serverVersion();
        var key = new io.multiaz.api.AccessKey(layout.api().accessKeyId(), layout.api().secretAccessKey());
        var backend = new AgentRdsBackend(operations, store, layout, version,
                () -> io.multiaz.engine.PgDescribeConfig.run(binaries, layout.runAs()));
        api = new io.multiaz.api.RdsApiServer(key, new io.multiaz.api.RdsActions(backend, Clock.systemUTC()), Clock.systemUTC())
                .start(zone.host(), zone.apiPort());
        LOG.info("RDS API of {} on {} (PostgreSQL {})", zone.az(), zone.apiUrl(), version);
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
                spec.credentials(), List.of("127.0.0.1/32"), spec.parameters(),
                SyncStandbys.ofWriter(spec, instance.name()));
        DatabaseEngine engine = new PostgresEngine(settings);
        InstanceSupervisor supervisor = new InstanceSupervisor(spec, instance.name(), engine, store, new HaPolicy(layout.sessionTimeout().multipliedBy(3)),
                Clock.systemUTC(), zone.healthUrl());
        supervisors.add(supervisor);
        watchdogs.put(supervisor, Watchdog.start(paths.runDir(), instance.name(),
                paths.instanceDir(spec.name(), instance.name()).resolve("data"), paths.agentLog(zone.az())));
        HaLoop loop = new HaLoop(supervisor, layout.tick());
        loops.add(loop);
        // others' member records matter while the lease is free (positions are compared); waking on
        // them always would make every publication wake every loop, which publishes again
        watches.add(store.watch(spec.name(), change -> {
            if (change == ClusterStore.Change.COORDINATION || supervisor.leaseFree()) {
                loop.wake();
            }
        }));
        loop.start();
        LOG.info("supervising {} of cluster {} (port {})", instance.name(), spec.name(), instance.port());
    }

    /**
     * Renews each writer's watchdog deadline to "lease confirmed + 80 % of the session timeout", the
     * confirmation being a store read made here (so a busy HA loop does not let it lapse): the
     * session cannot expire earlier than a whole timeout after a read was sent, so the server is gone
     * before a standby may take the lease, while a reconnect to another ZooKeeper peer (up to a
     * second) fits in the window. A paused agent confirms nothing.
     */
    private void refreshWatchdogs() {
        long fraction = layout.sessionTimeout().toMillis() * 8 / 10;
        watchdogs.forEach((supervisor, watchdog) -> {
            try {
                long pid = supervisor.writerServerPid();
                if (pid <= 0) {
                    watchdog.disarm();
                    return;
                }
                Instant before = Instant.now();
                if (store.holdsLease(supervisor.cluster(), supervisor.instance())) {
                    watchdog.arm(before.plusMillis(fraction), pid);
                }
            } catch (RuntimeException e) {
                // no confirmation: the deadline lapses unless a later read confirms the lease in time
                LOG.debug("{}: lease not confirmed for the watchdog: {}", supervisor.instance(), e.getMessage());
            }
        });
    }

    /**
     * Neutral mode: when the session is suspended, a writer has until the session expires (then a
     * standby may take the lease) to stop taking writes. ZooKeeper reports the suspension after 2/3 of
     * the session timeout; allow a tenth of it to reconnect to another peer, then stop writers.
     */
    private void onConnectionState(ConnectionState state) {
        LOG.info("coordination session: {}", state);
        boolean lost = state == ConnectionState.LOST;
        supervisors.forEach(s -> s.sessionLost(lost));
        if (lost) {
            supervisors.forEach(InstanceSupervisor::onSessionLost);
        }
        loops.forEach(HaLoop::wake);
    }

    /**
     * Written aside and renamed into place: {@code up} reads the file while agents start, and a
     * truncated file read half-way made it think a starting agent had exited (and leave it running).
     */
    private void writePidFile() throws IOException {
        Files.createDirectories(paths.runDir());
        Path file = paths.agentPidFile(zone.az());
        Path tmp = Files.createTempFile(paths.runDir(), "agent-" + zone.az(), ".tmp");
        Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("agent {} stopping", zone.az());
        for (AutoCloseable w : watches) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("closing a store watch failed: {}", e.getMessage());
            }
        }
        if (endpoints != null) {
            endpoints.close();
        }
        loops.forEach(HaLoop::close);
        watchdogRefresher.shutdownNow();
        watchdogs.values().forEach(Watchdog::close);
        supervisors.forEach(InstanceSupervisor::shutdown);
        if (api != null) {
            api.close();
        }
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
