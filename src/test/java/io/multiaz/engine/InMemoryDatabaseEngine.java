package io.multiaz.engine;

import io.multiaz.model.DataState;
import io.multiaz.model.LocalServer;
import io.multiaz.model.Lsn;
import io.multiaz.model.ReplicaLink;
import io.multiaz.model.SyncStandbys;
import io.multiaz.model.Upstream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory database server for unit tests of the HA loop: data directory, running state,
 * WAL position and replication behave like PostgreSQL's at the level the decision sees. Servers
 * on one {@link Network} stream from each other: a standby's flushed position follows its
 * running primary upstream.
 */
public final class InMemoryDatabaseEngine implements DatabaseEngine {

    /** The servers that can reach each other, by instance name. */
    public static final class Network {
        private final Map<String, InMemoryDatabaseEngine> servers = new ConcurrentHashMap<>();

        InMemoryDatabaseEngine get(String name) {
            return servers.get(name);
        }
    }

    private final String name;
    private final Network network;
    private DataState data = DataState.EMPTY;
    private boolean running;
    private boolean primary;
    private Upstream upstream;
    private String syncNames = "";
    private final Set<String> slots = new HashSet<>();
    private Lsn lsn = Lsn.ZERO;
    private long timeline;
    private String systemId;
    private int initdbRuns;

    public InMemoryDatabaseEngine(String name, Network network) {
        this.name = name;
        this.network = network;
        network.servers.put(name, this);
    }

    @Override
    public synchronized LocalServer observe() {
        if (!running) {
            return LocalServer.stopped(data, systemId);
        }
        InMemoryDatabaseEngine source = upstream == null ? null : network.get(upstream.name());
        boolean streaming = !primary && source != null && source.running && source.primary;
        if (streaming) {
            lsn = source.lsn;
            timeline = source.timeline;
        }
        return new LocalServer(data, true, true, !primary, timeline, lsn, lsn, primary ? null : upstreamName(),
                streaming, syncNames, slots, primary ? replicas() : List.of(), 1000 + name.hashCode() % 1000,
                systemId);
    }

    private String upstreamName() {
        return upstream == null ? null : upstream.name();
    }

    private List<ReplicaLink> replicas() {
        List<ReplicaLink> links = new ArrayList<>();
        for (InMemoryDatabaseEngine s : network.servers.values()) {
            if (s != this && s.running && !s.primary && s.upstream != null && s.upstream.name().equals(name)) {
                links.add(new ReplicaLink(s.name, "streaming", syncNames.contains('"' + s.name + '"') ? "quorum" : "async",
                        lsn, lsn, 0));
            }
        }
        return links;
    }

    @Override
    public synchronized void initialize() {
        initdbRuns++;
        data = DataState.PRIMARY;
        systemId = "7" + Math.abs(name.hashCode());
        timeline = 1;
        lsn = new Lsn(0x3000060);
    }

    @Override
    public synchronized void completeBootstrap(List<String> standbySlots) {
        requireRunningPrimary("completeBootstrap");
        slots.addAll(standbySlots);
    }

    @Override
    public synchronized void cloneFrom(Upstream from) {
        requireStopped("cloneFrom");
        if (data != DataState.EMPTY) {
            throw new EngineException("data directory of " + name + " already holds data; cloneFrom() only fills an "
                    + "empty one");
        }
        InMemoryDatabaseEngine source = network.get(from.name());
        if (source == null || !source.running) {
            throw new EngineException("pg_basebackup from " + from.name() + " failed: not reachable");
        }
        data = DataState.STANDBY;
        systemId = source.systemId;
        lsn = source.lsn;
        timeline = source.timeline;
    }

    @Override
    public synchronized void start(ServerRole role, Upstream from) {
        if (data == DataState.EMPTY) {
            throw new EngineException("no data directory to start");
        }
        running = true;
        primary = role == ServerRole.PRIMARY;
        data = primary ? DataState.PRIMARY : DataState.STANDBY;
        upstream = primary ? null : from;
        if (!primary) {
            syncNames = "";
        }
    }

    @Override
    public synchronized void follow(Upstream from) {
        upstream = from;
    }

    @Override
    public synchronized void configureWriter(int quorum, List<String> standbyNames, List<String> standbySlots) {
        requireRunningPrimary("configureWriter");
        syncNames = SyncStandbys.format(quorum, standbyNames);
        slots.retainAll(standbySlots);
        slots.addAll(standbySlots);
    }

    private void requireRunningPrimary(String what) {
        if (!running || !primary) {
            throw new EngineException(what + " needs a running primary");
        }
    }

    private void requireStopped(String what) {
        if (running) {
            throw new EngineException(name + " is running; stop() it before " + what);
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
    }

    /** The parameters last applied. */
    private Map<String, String> parameters = Map.of();

    @Override
    public synchronized void applyParameters(Map<String, String> next) {
        parameters = Map.copyOf(next);
    }

    public synchronized Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public synchronized void stopNow() {
        running = false;
    }

    @Override
    public synchronized void detach() {
        if (!running || primary) {
            throw new EngineException("detach needs a running standby");
        }
        upstream = null;
    }

    /** Promotes a running standby onto the next timeline; on a running primary a no-op, as in PostgreSQL. */
    @Override
    public synchronized void promote(int quorum, List<String> standbyNames) {
        if (!running) {
            throw new EngineException(name + " is not running; start it as a standby before promote()");
        }
        if (primary) {
            return;
        }
        syncNames = SyncStandbys.format(quorum, standbyNames);
        primary = true;
        data = DataState.PRIMARY;
        upstream = null;
        timeline++;
    }

    @Override
    public synchronized void rewind(Upstream to) {
        requireStopped("rewind");
        if (data == DataState.EMPTY) {
            throw new EngineException(name + " has no data directory to rewind");
        }
        InMemoryDatabaseEngine source = network.get(to.name());
        if (source == null || !source.running || !Objects.equals(source.systemId, systemId)) {
            throw new EngineException("pg_rewind of " + name + " from " + to.name() + " failed: source not reachable "
                    + "or of another system; the agent will re-clone");
        }
        data = DataState.STANDBY;
        primary = false;
        upstream = to;
        syncNames = "";
        lsn = source.lsn;
        timeline = source.timeline;
    }

    @Override
    public synchronized void discardData() {
        requireStopped("discardData");
        data = DataState.EMPTY;
        primary = false;
        upstream = null;
        syncNames = "";
        slots.clear();
        lsn = Lsn.ZERO;
        timeline = 0;
        systemId = null;
    }

    @Override
    public synchronized Lsn stopCleanly(java.time.Duration drain) {
        if (!running || !primary) {
            throw new EngineException(name + " is not a running writer; nothing to stop cleanly");
        }
        running = false;
        return lsn;
    }

    /** Simulates the server process dying. */
    public synchronized void crash() {
        running = false;
    }

    /** Simulates writes on a primary: its WAL position moves on. */
    public synchronized void write(long bytes) {
        lsn = new Lsn(lsn.value() + bytes);
    }

    public synchronized int initdbRuns() {
        return initdbRuns;
    }

    @Override
    public void close() {
    }
}
