package io.multiaz.agent;

import io.multiaz.runner.ClusterRunner;
import io.multiaz.agent.reconcile.ClusterReconciler;
import io.multiaz.agent.ha.InstanceSupervisor;
import io.multiaz.agent.ha.HaLoop;
import io.multiaz.agent.ha.SupervisedInstances;
import io.multiaz.agent.ha.InstanceParameters;
import io.multiaz.agent.ha.BootClock;
import io.multiaz.agent.ha.Watchdog;
import io.multiaz.agent.ha.ClusterOperations;
import io.multiaz.agent.endpoints.ClusterEndpoints;
import io.multiaz.backup.BackupServices;
import io.multiaz.backup.ClusterBackups;
import io.multiaz.backup.PgBackRestTool;
import io.multiaz.backup.Repositories;
import io.multiaz.backup.SnapshotJanitor;
import io.multiaz.agent.http.HealthServer;
import io.multiaz.agent.rds.AgentRdsBackend;

import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import io.multiaz.config.ZoneLayout;
import io.multiaz.endpoint.Cidr;
import io.multiaz.endpoint.EndpointAddresses;
import io.multiaz.model.ClusterOverview;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.CuratorClusterStore;
import io.multiaz.store.RdsRecords;
import io.multiaz.store.StoreException;
import io.multiaz.store.ServingPeerZookeeperFactory;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final ScheduledExecutorService watchdogRefresher;
    /** The clock of the writers' watchdog deadlines, which watchdog.sh reads too. */
    private final BootClock bootClock = BootClock.system();
    /** The reconciler's one thread: its passes, and the resync timer that requests one every second. */
    private final ScheduledExecutorService reconcilerThread;
    private final ScheduledExecutorService janitorThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private SupervisedInstances instances;
    private ClusterEndpoints endpoints;
    private ClusterReconciler reconciler;
    private CuratorFramework client;
    private ClusterStore store;
    private RdsRecords records;
    private HealthServer health;
    private io.multiaz.api.RdsApiServer api;

    private Agent(Path stateDir, Layout layout, ZoneLayout zone) {
        this.layout = layout;
        this.zone = zone;
        this.paths = new Layout.Paths(stateDir);
        this.zookeeper = new EmbeddedZooKeeper(zone, layout.zones(), paths.zkDir(zone.az()), Duration.ofMillis(200));
        this.watchdogRefresher = AgentProcess.daemonThread("watchdog-refresher-" + zone.az());
        this.reconcilerThread = AgentProcess.daemonThread("reconciler-" + zone.az());
        this.janitorThread = AgentProcess.daemonThread("snapshot-janitor-" + zone.az());
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
        client = AgentProcess.coordinationClient(layout, new ServingPeerZookeeperFactory(zone.zkConnect()));
        StorePaths storePaths = StorePaths.defaults();
        store = new CuratorClusterStore(client, storePaths);
        records = RdsRecords.onZooKeeper(client, storePaths, store);
        var backupTool = new PgBackRestTool(Repositories.open(paths.backupsDir(), layout.backups(), layout.runAs()));
        var backups = new ClusterBackups(new BackupServices(client, storePaths, store, records.backups(),
                records.clusterSnapshots(), store, backupTool, Clock.systemUTC()), paths::instanceDir, zone.az(),
                layout.backups().archiveTimeout());
        var janitor = new SnapshotJanitor(records.clusterSnapshots(), records.clusters(), store, backupTool);
        janitorThread.scheduleWithFixedDelay(janitor::pass, 10, 10, TimeUnit.SECONDS);
        // the RDS API plugs instance-class sizing and parameter groups in here; backups the archiving
        instances = new SupervisedInstances(layout, zone, paths, store,
                (spec, instance) -> InstanceParameters.of(records.parameterGroups(), spec, instance),
                backups::archiving);
        ClusterOperations operations = new ClusterOperations(store, records.clusters(), Clock.systemUTC());
        health = new HealthServer(instances::supervisors, operations, AgentProcess.operatorAuth(layout, paths))
                .start(zone.host(), zone.healthPort());
        health.endpointHosts(spec -> endpointHosts(layout, spec));
        health.backups(name -> records.backups().get(name == null ? layout.demo().name() : name)
                .<Object>map(b -> b).orElse(Map.of()));
        startApi(operations);
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        AgentProcess.awaitQuorum(client, layout);
        watchdogRefresher.scheduleWithFixedDelay(this::refreshWatchdogs, 100, 100, TimeUnit.MILLISECONDS);
        putSpec(layout.demo());
        ClusterRunner endpointRunner;
        if (layout.topology().isNetns()) {
            // no client lives in a zone's namespace: the endpoints-only agent of the root namespace
            // programs the endpoints there (docs/ENDPOINTS.md, across hosts)
            endpointRunner = ClusterRunner.none("endpoints");
        } else {
            endpoints = new ClusterEndpoints(client, storePaths, store, records.clusters(), layout.endpoints(),
                    paths.layoutFile(), paths.root(), zone.az(),
                    new java.net.InetSocketAddress(zone.host(), zone.proxyPort()));
            health.endpoints(endpoints::report);
            endpointRunner = endpoints;
        }
        reconciler = new ClusterReconciler(store, records.clusters(), records.clusterSnapshots(), zone.az(),
                instances, List.of(endpointRunner, backups), reconcilerThread);
        AgentProcess.runReconciler(reconciler, reconcilerThread);
        LOG.info("agent {} ready: health API on {}; running the instances the store places in {}", zone.az(),
                zone.healthUrl(), zone.az());
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
        var backend = new AgentRdsBackend(operations, store, records.clusters(), records.backups(), layout, version,
                () -> io.multiaz.engine.PgDescribeConfig.run(binaries, layout.runAs()),
                new io.multiaz.engine.PgValueCheck(binaries, layout.runAs()));
        var actions = new io.multiaz.api.RdsActions(backend, records, Clock.systemUTC());
        api = new io.multiaz.api.RdsApiServer(key, actions, Clock.systemUTC()).start(zone.host(), zone.apiPort());
        LOG.info("RDS API of {} on {} (PostgreSQL {})", zone.az(), zone.apiUrl(), version);
    }

    /** The endpoint addresses of {@code spec} in its slot, as {@code GET /clusters} lists them; null without any. */
    private static ClusterOverview.EndpointHosts endpointHosts(Layout layout, ClusterSpec spec) {
        EndpointAddresses a;
        try {
            a = EndpointAddresses.of(Cidr.parse(layout.endpoints().network()), spec, layout.endpoints().port());
        } catch (IllegalArgumentException e) {
            return null; // no room in the endpoint block: the cluster has no endpoints, which its owner logs
        }
        Map<String, String> instances = new LinkedHashMap<>();
        for (InstanceSpec i : spec.instances()) {
            instances.put(i.name(), a.instances().get(i.name()).getAddress().getHostAddress());
        }
        return new ClusterOverview.EndpointHosts(a.writer().getAddress().getHostAddress(),
                a.reader().getAddress().getHostAddress(), instances, a.writer().getPort());
    }

    /** Stores {@code spec} unless a cluster of its name exists, retrying until the store answers. */
    private void putSpec(ClusterSpec spec) throws InterruptedException {
        while (true) {
            try {
                records.clusters().create(spec);
                return;
            } catch (StoreException e) {
                LOG.info("cannot write the spec of cluster {} yet ({}); retrying", spec.name(), e.getMessage());
                Thread.sleep(500);
            }
        }
    }

    /**
     * Renews each writer's watchdog deadline to "lease confirmed + 80 % of the session timeout", the
     * confirmation being a store read made here (so a busy HA loop does not let it lapse): the
     * session cannot expire earlier than a whole timeout after a read was sent, so the server is gone
     * before a standby may take the lease, while a reconnect to another ZooKeeper peer (up to a
     * second) fits in the window. A paused agent confirms nothing. On the monotonic {@link BootClock}.
     */
    private void refreshWatchdogs() {
        Duration window = layout.sessionTimeout().multipliedBy(8).dividedBy(10);
        instances.watchdogs().forEach((supervisor, watchdog) -> {
            try {
                long pid = supervisor.writerServerPid();
                if (pid <= 0) {
                    watchdog.disarm();
                    return;
                }
                Watchdog.deadline(bootClock, window, () -> store.holdsLease(supervisor.cluster(),
                        supervisor.instance())).ifPresent(deadline -> watchdog.arm(deadline, pid));
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
        instances.supervisors().forEach(s -> s.sessionLost(lost));
        if (lost) {
            instances.supervisors().forEach(InstanceSupervisor::onSessionLost);
        }
        instances.loops().forEach(HaLoop::wake);
    }

    private void writePidFile() throws IOException {
        AgentProcess.writePidFile(paths, zone.az());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("agent {} stopping", zone.az());
        AgentProcess.stopReconciler(reconciler, reconcilerThread, Duration.ofSeconds(90), "stopping the instances");
        watchdogRefresher.shutdownNow();
        janitorThread.shutdownNow();
        if (instances != null) {
            instances.close();
        }
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
        AgentProcess.deletePidFile(paths, zone.az());
        LOG.info("agent {} stopped", zone.az());
    }
}
