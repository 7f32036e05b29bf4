package io.multiaz.ha;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.DataState;
import io.multiaz.model.Fence;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Lease;
import io.multiaz.model.LocalServer;
import io.multiaz.model.Lsn;
import io.multiaz.model.MemberState;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import io.multiaz.model.Upstream;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@link ClusterView}s of the three-instance cluster "demo" (demo-1 in az-a, demo-2 in az-b,
 * demo-3 in az-c, all on 127.0.0.1, sync quorum 1) for HA policy tables. A fresh builder is me =
 * demo-1, listed in the spec, with an empty data directory, the store read this cycle and no store
 * records at all.
 */
final class Views {
    /** The one instant every table row is decided at. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    static final ClusterSpec DEMO = new ClusterSpec("demo", "postgres", 1, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500),
            new InstanceSpec("demo-2", "az-b", "127.0.0.1", 6510),
            new InstanceSpec("demo-3", "az-c", "127.0.0.1", 6520)),
            new Credentials("multiaz_admin", "su-secret", "replicator", "repl-secret", "admin", "master-secret"),
            Map.of());

    /** What demo-1 has to set up as writer: its two standbys, their slots and the quorum. */
    static final String DEMO_1_SYNC_NAMES = "ANY 1 (\"demo-2\", \"demo-3\")";
    static final Set<String> DEMO_1_SLOTS = Set.of("demo_2", "demo_3");

    private static final String SYSTEM_ID = "7390000000000000001";

    private String me = "demo-1";
    private ClusterSpec spec = DEMO;
    private LocalServer local = emptyData();
    private ClusterView.StoreState store = ClusterView.StoreState.READ;
    private boolean listed = true;
    private boolean rewindFailed;
    private io.multiaz.model.OperatorRequest request;
    private boolean paused;

    /** A pending operator request. */
    Views request(io.multiaz.model.OperatorRequest r) {
        this.request = r;
        return this;
    }

    /** The cluster is paused. */
    Views paused() {
        this.paused = true;
        return this;
    }
    private Instant observingSince = NOW.minus(java.time.Duration.ofHours(1));

    /** This agent started observing at {@code since} (default: an hour before {@link #NOW}). */
    Views observingSince(Instant since) {
        this.observingSince = since;
        return this;
    }
    private Bootstrap bootstrap;
    private Lease lease;
    private Fence fence;
    private final Map<String, MemberState> members = new LinkedHashMap<>();

    private Views() {
    }

    /** A view for {@code me}: empty data, store connected, nothing recorded in the store. */
    static Views as(String me) {
        return new Views().me(me);
    }

    /** A view for demo-1 of a cluster whose bootstrap (by demo-1) is complete. */
    static Views bootstrappedAs(String me) {
        return as(me).bootstrap("demo-1", true);
    }

    /** Decides on {@code s} instead of {@link #DEMO} (instances added or removed). */
    Views spec(ClusterSpec s) {
        this.spec = s;
        return this;
    }

    Views me(String name) {
        this.me = name;
        return this;
    }

    Views local(LocalServer server) {
        this.local = server;
        return this;
    }

    /** My last rewind attempt failed. */
    Views rewindFailed() {
        this.rewindFailed = true;
        return this;
    }

    /** Publishes a detached, running standby {@code name} at flushed position {@code lsn}. */
    Views detachedStandby(String name, String lsn) {
        Optional<InstanceSpec> spec = DEMO.instance(name);
        members.put(name, new MemberState(name, spec.map(InstanceSpec::az).orElse("az-x"),
                spec.map(InstanceSpec::host).orElse("10.0.0.99"), spec.map(InstanceSpec::port).orElse(5432),
                Role.READER, ServerState.RUNNING, 1, Lsn.parse(lsn), Lsn.parse(lsn), -1, null, false, List.of(), "",
                100, 200, "published by a test", "http://127.0.0.1:8080", NOW));
        return this;
    }

    /** Publishes a standby {@code name} still streaming from {@code upstream}. */
    Views streamingStandby(String name, String upstream) {
        Optional<InstanceSpec> spec = DEMO.instance(name);
        members.put(name, new MemberState(name, spec.map(InstanceSpec::az).orElse("az-x"),
                spec.map(InstanceSpec::host).orElse("10.0.0.99"), spec.map(InstanceSpec::port).orElse(5432),
                Role.READER, ServerState.RUNNING, 1, Lsn.parse("0/3000000"), Lsn.parse("0/3000000"), 0, upstream, true,
                List.of(), "", 100, 200, "published by a test", "http://127.0.0.1:8080", NOW));
        return this;
    }

    /** How this cycle's store records were obtained (default: read this cycle). */
    Views store(ClusterView.StoreState state) {
        this.store = state;
        return this;
    }

    /** Shorthand: the session is lost ({@code false}) or the store was read ({@code true}). */
    Views storeConnected(boolean connected) {
        return store(connected ? ClusterView.StoreState.READ : ClusterView.StoreState.LOST);
    }

    /** The cluster no longer lists me (removed from the spec, or the cluster was deleted). */
    Views unlisted() {
        this.listed = false;
        return this;
    }

    Views bootstrap(String owner, boolean complete) {
        this.bootstrap = new Bootstrap(owner, complete, complete ? SYSTEM_ID : null);
        return this;
    }

    /** The writer lease names {@code holder}; {@code mine} says whether my current session holds it. */
    Views lease(String holder, boolean mine) {
        this.lease = new Lease(holder, mine);
        return this;
    }

    Views fence(String writer, long epoch, int version) {
        this.fence = new Fence(writer, epoch, version);
        return this;
    }

    /** Publishes a member record for {@code name} (address from the spec when it is an instance). */
    Views member(String name, Role role, ServerState state) {
        Optional<InstanceSpec> spec = DEMO.instance(name);
        members.put(name, new MemberState(name, spec.map(InstanceSpec::az).orElse("az-x"),
                spec.map(InstanceSpec::host).orElse("10.0.0.99"), spec.map(InstanceSpec::port).orElse(5432),
                role, state, 1, Lsn.ZERO, Lsn.ZERO, 0, null, false, List.of(), "", 100, 200,
                "published by a test", "http://127.0.0.1:8080", NOW));
        return this;
    }

    /** Shorthand: {@code name} is published as the running writer. */
    Views runningWriter(String name) {
        return member(name, Role.WRITER, ServerState.RUNNING);
    }

    ClusterView build() {
        return new ClusterView(me, spec, listed, local, store, Optional.ofNullable(bootstrap),
                Optional.ofNullable(lease), Optional.ofNullable(fence), members, rewindFailed,
                observingSince, Optional.ofNullable(request), paused);
    }

    // ---- local servers ----

    /** No data directory, nothing running. */
    static LocalServer emptyData() {
        return LocalServer.stopped(DataState.EMPTY, null);
    }

    /** A data directory in {@code data} state, server not running. */
    static LocalServer stopped(DataState data) {
        return LocalServer.stopped(data, data == DataState.EMPTY ? null : SYSTEM_ID);
    }

    /** The postmaster is up but does not accept connections yet. */
    static LocalServer runningNotAccepting(DataState data) {
        return new LocalServer(data, true, false, false, 0, null, null, null, false, null, null, null,
                4242, SYSTEM_ID);
    }

    /** A read-write server with the given synchronous_standby_names and replication slots. */
    static LocalServer primaryRunning(String syncStandbyNames, Set<String> slots) {
        return new LocalServer(DataState.PRIMARY, true, true, false, 1, new Lsn(0x3000060L), new Lsn(0x3000060L),
                null, false, syncStandbyNames, slots, List.of(), 4242, SYSTEM_ID);
    }

    /** demo-1 as the writer it should be: quorum and slots for demo-2 and demo-3 in place. */
    static LocalServer configuredPrimary() {
        return primaryRunning(DEMO_1_SYNC_NAMES, DEMO_1_SLOTS);
    }

    /** A primary-configured data directory whose running server is nonetheless in recovery. */
    static LocalServer primaryInRecovery() {
        return new LocalServer(DataState.PRIMARY, true, true, true, 1, new Lsn(0x3000060L), new Lsn(0x3000060L),
                null, false, "", Set.of(), List.of(), 4242, SYSTEM_ID);
    }

    /**
     * A primary-configured server still in crash recovery: running, not accepting yet, and
     * {@code inRecovery} set although it was not queried (the flag means nothing until it accepts).
     */
    static LocalServer primaryRecoveringNotAccepting() {
        return new LocalServer(DataState.PRIMARY, true, false, true, 0, null, null, null, false, null, null, null,
                4242, SYSTEM_ID);
    }

    /** A running hot standby following {@code upstream} (null: none configured). */
    static LocalServer standbyRunning(String upstream, boolean streaming) {
        return new LocalServer(DataState.STANDBY, true, true, true, 1, new Lsn(0x3000060L), new Lsn(0x3000028L),
                upstream, streaming, "", Set.of(), List.of(), 4242, SYSTEM_ID);
    }

    // ---- expected upstreams ----

    static Upstream upstream(String name) {
        return DEMO.instance(name).map(i -> new Upstream(i.name(), i.host(), i.port())).orElseThrow();
    }
}
