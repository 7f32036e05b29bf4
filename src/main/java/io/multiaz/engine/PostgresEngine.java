package io.multiaz.engine;

import io.multiaz.model.DataState;
import io.multiaz.model.LocalServer;
import io.multiaz.model.Lsn;
import io.multiaz.model.SyncStandbys;
import io.multiaz.model.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link DatabaseEngine} for a PostgreSQL 15+ server from the OS packages. It wires one helper per
 * job — {@link PgBootstrap} (initdb), {@link PgClone} (pg_basebackup, discarding data),
 * {@link PgConfigWriter} (configuration files), {@link PgProcess} (pg_ctl), {@link PgStatusReader}
 * (LSNs and replication state), {@link PgSyncStandbys} (slots and synchronous standbys),
 * {@link PgRoles} (roles and database), {@link PgPromote} (detach and promote), {@link PgRewind}
 * (pg_rewind), {@link PgControlData} (system identifier, cluster state) and {@link PgDrain} (clients in
 * flight before a clean stop) — and adds the checks
 * between them.
 *
 * <p>The server outlives this object: {@link #close()} releases the status connection but leaves
 * the server running, so an agent restart does not interrupt the database.
 *
 * <p>Thread safety: called from one HA loop thread per instance; not safe for concurrent calls,
 * except {@link #stopNow()}, which touches nothing but the pid file and the postmaster and may be
 * called from any thread at any time.
 */
public final class PostgresEngine implements DatabaseEngine {
    private static final Logger log = LoggerFactory.getLogger(PostgresEngine.class);

    private final EngineSettings settings;
    private final PgFiles files;
    private final PgConfigWriter config;
    private final PgProcess process;
    private final PgStatusReader status;
    private final PgControlData control;
    private final PgBootstrap bootstrap;
    private final PgClone clone;
    private final PgSyncStandbys sync;
    private final PgRoles roles;
    private final PgPromote promotion;
    private final PgRewind rewinder;
    private final PgDrain drain;

    /**
     * Checks the binaries, the server's OS user and the parameters; starts nothing.
     *
     * @throws EngineException when a server program is missing, {@code runAs} does not exist or a
     *                         parameter or allowed network is malformed
     */
    public PostgresEngine(EngineSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        PgBinaries bin = PgBinaries.in(settings.binDir());
        PgCommand command = new PgCommand(settings.runAs());
        this.files = PgFiles.forUser(settings.runAs(), new PgCommand(null));
        this.config = new PgConfigWriter(settings, files);
        PgConnector connector = new PgConnector(settings);
        this.process = new PgProcess(settings, bin, command);
        this.status = new PgStatusReader(connector);
        this.control = new PgControlData(bin, command);
        this.bootstrap = new PgBootstrap(settings, bin, command, files, config);
        this.clone = new PgClone(settings, bin, command, files, config);
        this.sync = new PgSyncStandbys(settings, connector, config);
        this.roles = new PgRoles(settings, connector);
        this.promotion = new PgPromote(settings, connector, config);
        this.rewinder = new PgRewind(settings, bin, command, config, process, control, connector);
        this.drain = new PgDrain(connector);
    }

    @Override
    public LocalServer observe() {
        DataState data;
        try {
            data = dataState();
        } catch (RuntimeException e) {
            log.warn("could not inspect {} ({}); reporting no data until it can be read", settings.dataDir(),
                    e.getMessage());
            return LocalServer.stopped(DataState.EMPTY, null);
        }
        String systemId = data == DataState.EMPTY ? null : systemIdOrNull();
        String upstream = data == DataState.STANDBY ? upstreamOrNull() : null;
        long pid = process.pid();
        if (pid == 0) {
            status.close();
            return notAccepting(data, false, upstream, 0, systemId);
        }
        Optional<PgStatusReader.Status> read = status.read();
        if (read.isEmpty()) {
            return notAccepting(data, true, upstream, pid, systemId);
        }
        PgStatusReader.Status s = read.get();
        return new LocalServer(data, true, true, s.inRecovery(), s.timeline(), s.flushed(), s.replayed(), upstream,
                s.streaming(), s.syncStandbyNames(), s.slots(), s.replicas(), pid, systemId, s.waitingCommits(),
                s.pendingRestart());
    }

    private static LocalServer notAccepting(DataState data, boolean running, String upstream, long pid,
                                            String systemId) {
        return new LocalServer(data, running, false, false, 0, Lsn.ZERO, Lsn.ZERO, upstream, false, "", Set.of(),
                List.of(), pid, systemId);
    }

    private DataState dataState() {
        Path data = settings.dataDir();
        if (PgFiles.isMissingOrEmpty(data)) {
            return DataState.EMPTY;
        }
        return Files.exists(data.resolve(PgConfigWriter.STANDBY_SIGNAL)) ? DataState.STANDBY : DataState.PRIMARY;
    }

    private String systemIdOrNull() {
        try {
            return control.systemId(settings.dataDir());
        } catch (RuntimeException e) {
            log.warn("system identifier of {} unknown ({}); reporting none this cycle", settings.dataDir(),
                    e.getMessage());
            return null;
        }
    }

    private String upstreamOrNull() {
        try {
            return PgConfigWriter.upstreamName(settings.dataDir()).orElse(null);
        } catch (RuntimeException e) {
            log.warn("configured upstream of {} unknown ({}); reporting none this cycle", settings.dataDir(),
                    e.getMessage());
            return null;
        }
    }

    @Override
    public void initialize() {
        requireStopped("initialize()");
        bootstrap.initialize();
    }

    @Override
    public void completeBootstrap(List<String> standbySlots) {
        roles.completeBootstrap(List.copyOf(standbySlots));
    }

    @Override
    public void cloneFrom(Upstream upstream) {
        Objects.requireNonNull(upstream, "upstream");
        requireStopped("cloneFrom()");
        clone.cloneFrom(upstream);
    }

    /**
     * {@inheritDoc}
     *
     * <p>As PRIMARY, the standby marker is removed (a standby's data directory is thereby promoted
     * as it starts) and the {@code synchronous_standby_names} last written is kept, so a restarted
     * writer keeps waiting for its standbys. On an already running server of the same kind this
     * rewrites the configuration and reloads it; a running server of the other kind is refused.
     */
    @Override
    public void start(ServerRole role, Upstream upstream) {
        Objects.requireNonNull(role, "role");
        DataState data = dataState();
        if (data == DataState.EMPTY) {
            throw new EngineException(settings.instance().name() + " has no data directory yet; "
                    + "initialize() or cloneFrom() first");
        }
        PgServerConfig target = role == ServerRole.PRIMARY
                ? PgServerConfig.primary(PgConfigWriter.syncStandbyNames(settings.dataDir()))
                : PgServerConfig.standby(upstream);
        if (process.pid() != 0) {
            restartless(data, target);
            return;
        }
        files.ensurePrivateDir(settings.socketDir());
        config.write(settings.dataDir(), target);
        process.start();
    }

    private void restartless(DataState data, PgServerConfig target) {
        DataState wanted = target.role() == ServerRole.PRIMARY ? DataState.PRIMARY : DataState.STANDBY;
        if (data != wanted) {
            throw new EngineException(settings.instance().name() + " is running as a " + data.name().toLowerCase()
                    + "; stop() it before starting it as a " + wanted.name().toLowerCase());
        }
        log.info("{} already runs as a {}; rewriting its configuration and reloading", settings.instance().name(),
                wanted.name().toLowerCase());
        config.write(settings.dataDir(), target);
        process.reload();
    }

    /** {@inheritDoc} Also works on a stopped standby, whose next start then follows {@code upstream}. */
    @Override
    public void follow(Upstream upstream) {
        Objects.requireNonNull(upstream, "upstream");
        if (dataState() != DataState.STANDBY) {
            throw new EngineException(settings.instance().name() + " is not a standby; follow() only re-points a "
                    + "standby: start it as a standby (after a rewind) instead");
        }
        config.write(settings.dataDir(), PgServerConfig.standby(upstream));
        if (process.pid() != 0) {
            process.reload();
        }
        log.info("{} now follows {} ({}:{})", settings.instance().name(), upstream.name(), upstream.host(),
                upstream.port());
    }

    @Override
    public void configureWriter(int quorum, List<String> standbyNames, List<String> standbySlots) {
        if (quorum < 0 || quorum > standbyNames.size()) {
            throw new EngineException("quorum " + quorum + " is outside 0.." + standbyNames.size()
                    + " standbys; pass at most as many as there are standbys");
        }
        sync.configure(quorum, List.copyOf(standbyNames), List.copyOf(standbySlots));
    }

    @Override
    public void stop() {
        status.close();
        process.stop();
    }

    @Override
    public void applyParameters(java.util.Map<String, String> parameters) {
        if (parameters.equals(config.parameters())) {
            return;
        }
        if (!java.nio.file.Files.isDirectory(settings.dataDir())) {
            // no data yet: the parameters go into the configuration when the server is first configured
            config.useParameters(parameters);
            return;
        }
        config.writeParameters(settings.dataDir(), parameters);
        if (process.pid() != 0) {
            process.reload();
        }
    }

    @Override
    public Lsn stopCleanly(java.time.Duration drain) {
        long pid = process.pid();
        if (pid != 0) {
            this.drain.await(pid, drain);
        }
        stop();
        String state = control.clusterState(settings.dataDir());
        if (!PgControlData.CLEAN_SHUTDOWN.contains(state)) {
            throw new EngineException(settings.instance().name() + " did not shut down cleanly (pg_control says '"
                    + state + "'); the switchover is abandoned and the HA loop decides again");
        }
        return control.latestCheckpoint(settings.dataDir());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Leaves the status connection alone (it belongs to the HA loop thread); the next
     * {@link #observe()} finds it broken and reports the server stopped. Takes about as long as
     * an immediate shutdown, typically well under a second, at most about three.
     */
    @Override
    public void stopNow() {
        process.stopNow();
    }

    /** {@inheritDoc} Waits up to 2 s for the WAL receiver to exit. */
    @Override
    public void detach() {
        requireRunningStandby("detach()");
        promotion.detach();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Then rewrites the configuration as a primary and reloads, so a restart starts it as the
     * writer. Its {@code synchronous_standby_names} is the last one written to its configuration,
     * which for a former standby is empty: commits do not wait until {@link #configureWriter} runs.
     * Idempotent: on a running server already out of recovery only the configuration is rewritten.
     */
    @Override
    public void promote(int quorum, List<String> standbyNames) {
        requireRunning("promote()");
        promotion.promote(SyncStandbys.format(quorum, standbyNames));
    }

    @Override
    public void rewind(Upstream upstream) {
        Objects.requireNonNull(upstream, "upstream");
        requireStopped("rewind()");
        DataState data = dataState();
        if (data == DataState.EMPTY) {
            throw new EngineException(settings.instance().name() + " has no data directory to rewind; "
                    + "cloneFrom() " + upstream.name() + " instead");
        }
        files.ensurePrivateDir(settings.socketDir());
        rewinder.rewind(data, upstream);
    }

    @Override
    public void discardData() {
        requireStopped("discardData()");
        clone.discardData();
    }

    /** Releases the status connection; the server keeps running. May be called twice. */
    @Override
    public void close() {
        status.close();
    }

    private void requireRunning(String what) {
        if (process.pid() == 0) {
            throw new EngineException(settings.instance().name() + " is not running; start() it as a standby "
                    + "before " + what);
        }
    }

    private void requireRunningStandby(String what) {
        requireRunning(what);
        if (dataState() != DataState.STANDBY) {
            throw new EngineException(settings.instance().name() + " runs as a primary; " + what
                    + " applies to a standby only");
        }
    }

    private void requireStopped(String what) {
        long pid = process.pid();
        if (pid != 0) {
            throw new EngineException(settings.instance().name() + " is running (postmaster pid " + pid + "); "
                    + "stop() it before " + what);
        }
    }
}
