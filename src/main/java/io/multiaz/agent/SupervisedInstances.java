package io.multiaz.agent;

import io.multiaz.config.Layout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.engine.DatabaseEngine;
import io.multiaz.engine.EngineSettings;
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
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The instances this agent supervises: per instance a PostgreSQL engine, an
 * {@link InstanceSupervisor}, its {@link HaLoop} (woken by the cluster's store changes) and the
 * writer's {@link Watchdog}. The {@link InstanceRunner} of the agent's {@link ClusterReconciler}.
 *
 * <p>Thread safety: {@link #start}, {@link #remove} and the handles' {@code stop} run on the
 * reconciler's thread; the views ({@link #supervisors}, {@link #watchdogs}, {@link #loops}) may be
 * read from any thread.
 */
final class SupervisedInstances implements InstanceRunner, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedInstances.class);

    private final Layout layout;
    private final ZoneLayout zone;
    private final Layout.Paths paths;
    private final ClusterStore store;
    private final ServerParameters parameters;
    private final List<InstanceSupervisor> supervisors = new CopyOnWriteArrayList<>();
    private final List<HaLoop> loops = new CopyOnWriteArrayList<>();
    private final Map<InstanceSupervisor, Watchdog> watchdogs = new ConcurrentHashMap<>();
    private final List<Handle> handles = new CopyOnWriteArrayList<>();

    SupervisedInstances(Layout layout, ZoneLayout zone, Layout.Paths paths, ClusterStore store,
                        ServerParameters parameters) {
        this.layout = layout;
        this.zone = zone;
        this.paths = paths;
        this.store = store;
        this.parameters = parameters;
    }

    /** The supervisors running now, for the health API, the RDS API and the session listener. */
    List<InstanceSupervisor> supervisors() {
        return supervisors;
    }

    List<HaLoop> loops() {
        return loops;
    }

    Map<InstanceSupervisor, Watchdog> watchdogs() {
        return watchdogs;
    }

    @Override
    public Running start(ClusterSpec spec, InstanceSpec instance) {
        Path instanceDir = paths.instanceDir(spec.name(), instance.name());
        EngineSettings settings = new EngineSettings(Path.of(layout.pgBinDir()), instanceDir, layout.runAs(),
                instance, spec.databaseName(), spec.credentials(), layout.topology().allowedNetworks(),
                parameters.of(spec, instance), SyncStandbys.ofWriter(spec, instance.name()));
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
            deleteRecursively(dir);
            Files.deleteIfExists(paths.runDir().resolve("watchdog-" + instance.name()));
            Files.deleteIfExists(paths.runDir().resolve("watchdog-" + instance.name() + ".sh"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage()
                    + "; remove it by hand (rm -rf " + dir + ") if this keeps failing", e);
        }
        LOG.info("removed the directory {} of instance {} of cluster {}", dir, instance.name(), cluster);
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

    /** Deletes {@code dir} and everything under it; the agent may run as root over files of postgres. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
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
            supervisor.shutdown();
            supervisors.remove(supervisor);
            handles.remove(this);
        }
    }
}
