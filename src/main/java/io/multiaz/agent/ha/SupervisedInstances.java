package io.multiaz.agent.ha;

import io.multiaz.runner.InstanceRunner;

import io.multiaz.config.Layout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.engine.DatabaseEngine;
import io.multiaz.engine.Archiving;
import io.multiaz.engine.EngineSettings;
import io.multiaz.engine.PgBinaries;
import io.multiaz.engine.PostgresEngine;
import io.multiaz.ha.HaPolicy;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.SyncStandbys;
import io.multiaz.store.ClusterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The instances this agent supervises: per instance a PostgreSQL engine, an
 * {@link InstanceSupervisor}, its {@link HaLoop} (woken by the cluster's store changes) and the
 * writer's {@link Watchdog}. The {@link InstanceRunner} of the agent's cluster reconciler.
 *
 * <p>Thread safety: {@link #start}, {@link #remove} and the handles' {@code stop} run on the
 * reconciler's thread; the views ({@link #supervisors}, {@link #watchdogs}, {@link #loops}) may be
 * read from any thread.
 */
public final class SupervisedInstances implements InstanceRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedInstances.class);

    private final Layout layout;
    private final ZoneLayout zone;
    private final Layout.Paths paths;
    private final ClusterStore store;
    private final ServerParameters parameters;
    private final BiFunction<ClusterSpec, Path, Archiving> archiving;
    private final List<InstanceSupervisor> supervisors = new CopyOnWriteArrayList<>();
    private final List<HaLoop> loops = new CopyOnWriteArrayList<>();
    private final Map<InstanceSupervisor, Watchdog> watchdogs = new ConcurrentHashMap<>();
    private final List<Handle> handles = new CopyOnWriteArrayList<>();

    /**
     * @param archiving how the server of an instance (its cluster's spec, its directory) archives its
     *                  WAL to the cluster's backup repository
     */
    public SupervisedInstances(Layout layout, ZoneLayout zone, Layout.Paths paths, ClusterStore store,
                        ServerParameters parameters, BiFunction<ClusterSpec, Path, Archiving> archiving) {
        this.layout = layout;
        this.archiving = archiving;
        this.zone = zone;
        this.paths = paths;
        this.store = store;
        this.parameters = parameters;
    }

    /** The supervisors running now, for the health API, the RDS API and the session listener. */
    public List<InstanceSupervisor> supervisors() {
        return supervisors;
    }

    public List<HaLoop> loops() {
        return loops;
    }

    public Map<InstanceSupervisor, Watchdog> watchdogs() {
        return watchdogs;
    }

    @Override
    public Running start(ClusterSpec spec, InstanceSpec instance) {
        Path instanceDir = paths.instanceDir(spec.name(), instance.name());
        EngineSettings settings = new EngineSettings(Path.of(layout.pgBinDir()), instanceDir, layout.runAs(),
                instance, spec.databaseName(), spec.credentials(), layout.topology().allowedNetworks(),
                parameters.of(spec, instance), SyncStandbys.ofWriter(spec, instance.name()),
                archiving.apply(spec, instanceDir));
        DatabaseEngine engine = new PostgresEngine(settings);
        InstanceSupervisor supervisor = new InstanceSupervisor(spec, instance.name(), engine, store,
                new HaPolicy(layout.sessionTimeout().multipliedBy(3)), Clock.systemUTC(), zone.healthUrl());
        Watchdog watchdog;
        try {
            watchdog = Watchdog.start(paths.runDir(), instance.name(), instanceDir.resolve("data"),
                    paths.agentLog(zone.az()));
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        HaLoop loop = new HaLoop(supervisor, layout.tick());
        AutoCloseable watch;
        try {
            // others' member records matter while the lease is free (positions are compared); waking on
            // them always would make every publication wake every loop, which publishes again
            watch = store.watch(spec.name(), change -> {
                if (change == ClusterStore.Change.COORDINATION || supervisor.leaseFree()) {
                    loop.wake();
                }
            });
        } catch (RuntimeException e) {
            watchdog.close();
            engine.close();
            throw e;
        }
        Handle handle = new Handle(supervisor, loop, watchdog, watch);
        supervisors.add(supervisor);
        watchdogs.put(supervisor, watchdog);
        loops.add(loop);
        handles.add(handle);
        loop.start();
        LOG.info("supervising {} of cluster {} (port {})", instance.name(), spec.name(), instance.port());
        return handle;
    }

    @Override
    public void remove(String cluster, InstanceSpec instance) {
        Path dir = paths.instanceDir(cluster, instance.name());
        long pid = postmasterPid(dir.resolve("data"));
        if (pid > 0) {
            throw new IllegalStateException("the PostgreSQL server of " + instance.name() + " still runs (pid "
                    + pid + "); stop it (kill -INT " + pid + ") so that its directory " + dir + " can be removed");
        }
        try {
            io.multiaz.engine.Directories.delete(dir);
            Files.deleteIfExists(paths.runDir().resolve("watchdog-" + instance.name()));
            Files.deleteIfExists(paths.runDir().resolve("watchdog-" + instance.name() + ".sh"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage()
                    + "; remove it by hand (rm -rf " + dir + ") if this keeps failing", e);
        }
        LOG.info("removed the directory {} of instance {} of cluster {}", dir, instance.name(), cluster);
    }

    @Override
    public SnapshotFiles snapshot(String cluster, InstanceSpec instance, String snapshot) {
        Path dir = paths.instanceDir(cluster, instance.name());
        Path data = dir.resolve("data");
        Path target = paths.snapshotDir(snapshot).resolve("data");
        PgBinaries binaries = PgBinaries.in(Path.of(layout.pgBinDir()));
        if (Files.isDirectory(data)) {
            long pid = postmasterPid(data);
            if (pid > 0) {
                throw new IllegalStateException("the PostgreSQL server of " + instance.name() + " still runs (pid "
                        + pid + "); the final snapshot " + snapshot + " waits until it is stopped");
            }
            String state = binaries.clusterState(data);
            if (!PgBinaries.cleanShutdown(state)) {
                throw new IllegalStateException("the data directory " + data + " of " + instance.name() + " was not"
                        + " shut down cleanly (pg_control says '" + state + "'), so it cannot be the final snapshot "
                        + snapshot + " yet; start and stop its server by hand (pg_ctl start -D " + data
                        + "; pg_ctl stop -m fast -D " + data + ", as its owner) and the agent takes it");
            }
            try {
                Files.createDirectories(target.getParent());
                // same file system (both under the state directory): a rename, atomic, owner and modes kept
                Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + data + " to " + target + ": " + e.getMessage()
                        + "; the final snapshot " + snapshot + " waits (check the state directory's file system)", e);
            }
            LOG.info("moved the data directory of instance {} of cluster {} to {} (final snapshot {})",
                    instance.name(), cluster, target, snapshot);
        } else if (!Files.isDirectory(target)) {
            throw new IllegalStateException("instance " + instance.name() + " of cluster " + cluster + " has no data"
                    + " directory at " + data + " and the final snapshot " + snapshot + " has none at " + target
                    + "; nothing can be kept (delete the snapshot with DeleteDBClusterSnapshot once the cluster is"
                    + " gone)");
        }
        remove(cluster, instance);
        return new SnapshotFiles(engineVersion(binaries, target), size(target));
    }

    @Override
    public void removeSnapshot(String snapshot) {
        Path dir = paths.snapshotDir(snapshot);
        io.multiaz.engine.Directories.delete(dir);
        LOG.info("removed the files of DB cluster snapshot {} ({})", snapshot, dir);
    }

    /** The installed server's {@code major.minor} if it is of the files' major version, else that major. */
    private static String engineVersion(PgBinaries binaries, Path data) {
        String major;
        try {
            major = Files.readString(data.resolve("PG_VERSION")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + data.resolve("PG_VERSION") + ": " + e.getMessage(), e);
        }
        String installed = binaries.serverVersion();
        return installed.startsWith(major + ".") ? installed : major;
    }

    private static long size(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The pid in {@code dataDir}/postmaster.pid if that process is alive, else 0. */
    private static long postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            long pid = lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).strip());
            return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            LOG.debug("cannot read the postmaster.pid of {}: {}", dataDir, e.getMessage());
            return 0;
        }
    }

    /** Stops every instance (agent shutdown): loops first, then watchdogs, then the servers. */
    @Override
    public void close() {
        handles.forEach(h -> h.loop.close());
        handles.forEach(Handle::stop);
    }

    /** One supervised instance; {@link #stop} tears it down in the order the agent's shutdown does. */
    private final class Handle implements Running {
        private final InstanceSupervisor supervisor;
        private final HaLoop loop;
        private final Watchdog watchdog;
        private final AutoCloseable watch;
        private final AtomicBoolean stopped = new AtomicBoolean();

        Handle(InstanceSupervisor supervisor, HaLoop loop, Watchdog watchdog, AutoCloseable watch) {
            this.supervisor = supervisor;
            this.loop = loop;
            this.watchdog = watchdog;
            this.watch = watch;
        }

        @Override
        public void update(ClusterSpec spec) {
            spec.instance(supervisor.instance()).ifPresent(i -> supervisor.parameters(parameters.of(spec, i)));
        }

        @Override
        public void stop() {
            stop(false);
        }

        @Override
        public void stopCleanly() {
            stop(true);
        }

        private void stop(boolean clean) {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing the store watch of {}: {}", supervisor.instance(), e.getMessage());
            }
            loop.close();
            loops.remove(loop);
            watchdogs.remove(supervisor);
            watchdog.close();
            supervisor.shutdown(clean);
            supervisors.remove(supervisor);
            handles.remove(this);
        }
    }
}
