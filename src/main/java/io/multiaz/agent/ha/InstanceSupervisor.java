package io.multiaz.agent.ha;

import io.multiaz.engine.DatabaseEngine;
import io.multiaz.ha.ClusterView;
import io.multiaz.ha.Decision;
import io.multiaz.ha.HaPolicy;
import io.multiaz.ha.Action;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DataState;
import io.multiaz.model.EventType;
import io.multiaz.model.LocalServer;
import io.multiaz.model.MemberState;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The HA loop of one instance: each {@link #cycle()} observes the server and the store once,
 * decides with {@link HaPolicy}, publishes the member record with the decision's reason, then
 * carries the action out. A failed action is logged and shows in the next published reason. A view
 * that is not {@link ClusterView#publishable() publishable} (session suspended, read failed, this
 * instance removed) is decided on but neither published nor acted on.
 *
 * <p>Threading: {@link #cycle()} is called by one thread at a time (the agent's loop thread for
 * this instance); {@link #latest()} may be read from any thread.
 */
public final class InstanceSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSupervisor.class);

    private final String cluster;
    private final String me;
    private final DatabaseEngine engine;
    private final ClusterStore store;
    private final HaPolicy policy;
    private final Clock clock;
    private final String healthUrl;
    private final ActionExecutor executor;
    private ClusterSnapshot lastSnapshot;
    /** The last spec read (loop thread only): the snapshot of a deleted cluster has none. */
    private ClusterSpec lastSpec;
    private String lastReason = "";
    private String lastFailure;
    /** The server as observed, carried into the next cycle after a store-only action (loop thread only). */
    private LocalServer carried;
    private volatile boolean sessionLost;
    private boolean rewindFailed;
    private final Instant startedAt;
    private final EventRecorder events;
    private volatile Observed latest;

    /** What the last cycle saw and decided, for the health endpoints. */
    public record Observed(ClusterView view, Decision decision, MemberState published) {
    }

    private volatile boolean restartRequested;
    private volatile java.util.concurrent.CompletableFuture<Void> restartAnnounced =
            java.util.concurrent.CompletableFuture.completedFuture(null);
    private volatile java.util.Map<String, String> wantedParameters;
    private java.util.Map<String, String> appliedParameters;
    /** From a requested restart until the server accepts connections again; loop thread only. */
    private boolean restarting;

    public InstanceSupervisor(ClusterSpec spec, String me, DatabaseEngine engine, ClusterStore store,
                              HaPolicy policy, Clock clock, String healthUrl) {
        this.cluster = spec.name();
        this.me = me;
        this.engine = engine;
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.healthUrl = healthUrl;
        this.executor = new ActionExecutor(cluster, engine, store);
        this.startedAt = clock.instant();
        this.events = new EventRecorder(cluster, me, store, clock);
        this.lastSpec = spec;
        this.lastSnapshot = new ClusterSnapshot(Optional.of(spec), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of());
    }

    public String cluster() {
        return cluster;
    }

    public String instance() {
        return me;
    }

    /** The postmaster pid if my server was last observed as the running writer, else 0. Any thread. */
    public long writerServerPid() {
        Observed o = latest;
        if (o == null || o.published().role() != io.multiaz.model.Role.WRITER) {
            return 0;
        }
        return o.published().serverPid();
    }

    /** The coordination session expired ({@code true}) or is back ({@code false}); from the connection thread. */
    public void sessionLost(boolean lost) {
        this.sessionLost = lost;
    }

    /** Whether the last cycle saw no writer lease (or has not run yet). Any thread. */
    public boolean leaseFree() {
        Observed o = latest;
        return o == null || o.view().lease().isEmpty();
    }

    /** Whether the last cycle's action threw; read on the loop thread only. */
    public boolean lastActionFailed() {
        return lastFailure != null;
    }

    /**
     * Asks the loop to restart the server (RebootDBInstance): the next cycle publishes that it is
     * restarting (so a describe right after the request says "rebooting"), stops it cleanly, and
     * the policy starts it again in its role (a writer keeps its lease across the restart).
     *
     * @return completes once the restart is published (or the cycle found nothing to publish yet)
     */
    public java.util.concurrent.CompletableFuture<Void> requestRestart() {
        java.util.concurrent.CompletableFuture<Void> announced = new java.util.concurrent.CompletableFuture<>();
        restartAnnounced = announced;
        restartRequested = true;
        return announced;
    }

    /**
     * The parameters the server should run with (instance class, parameter group): applied by the
     * loop at its next cycle, reloaded into a running server (static ones wait for a restart).
     */
    public void parameters(java.util.Map<String, String> wanted) {
        wantedParameters = wanted;
    }

    /** Whether a restart was asked for and not carried out yet. */
    public boolean restartPending() {
        return restartRequested;
    }

    public Optional<Observed> latest() {
        return Optional.ofNullable(latest);
    }

    /** One HA cycle; returns its decision. Never throws: failures are logged and published. */
    public Decision cycle() {
        // after an action that changed only the store (lease, fence, request), the server is as the
        // last cycle saw it a few milliseconds ago: deciding on that saves a round of queries on the
        // failover and switchover paths (lease → fence → promote)
        applyParameters();
        if (restartRequested) {
            restartRequested = false;
            carried = null;
            restarting = true;
            Observed last = latest;
            if (last != null) {
                publish(last.published().withRestarting(true), store.isConnected());
            }
            restartAnnounced.complete(null);
            restart();
        }
        LocalServer local = carried != null ? carried : engine.observe();
        carried = null;
        if (restarting && local.running() && local.accepting()) {
            restarting = false;
        }
        if (local.data() != DataState.PRIMARY) {
            rewindFailed = false;
        }
        ClusterView view = observe(local);
        Decision decision = policy.decide(view, clock.instant());
        logDecision(decision);
        if (!view.publishable()) {
            return decision;
        }
        String reason = lastFailure == null ? decision.reason()
                : decision.reason() + " (last attempt failed: " + lastFailure + ")";
        MemberState published = MemberStates.of(view, decision, reason, healthUrl, clock.instant(),
                restarting);
        latest = new Observed(view, decision, published);
        if (!published.sameContent(view.members().get(me))) {
            // unchanged records are not rewritten: every write wakes the other agents' loops
            publish(published, view.store() == ClusterView.StoreState.READ);
        }
        act(decision, view);
        return decision;
    }

    /**
     * This cycle's view around my server {@code local}: the store read once, or its last records when
     * the session is suspended or lost or the read fails, with which of these happened and whether
     * the cluster still lists me.
     */
    private ClusterView observe(LocalServer local) {
        ClusterSnapshot snapshot = lastSnapshot;
        ClusterView.StoreState state;
        if (store.isConnected()) {
            try {
                snapshot = store.read(cluster);
                lastSnapshot = snapshot;
                state = ClusterView.StoreState.READ;
            } catch (StoreException e) {
                state = store.isConnected() ? ClusterView.StoreState.READ_FAILED : ClusterView.StoreState.LOST;
                if (state == ClusterView.StoreState.READ_FAILED) {
                    LOG.warn("{}: cannot read the store ({}); deciding next cycle", me, e.getMessage());
                }
            }
        } else {
            state = sessionLost ? ClusterView.StoreState.LOST : ClusterView.StoreState.SUSPENDED;
        }
        ClusterSpec spec = snapshot.spec().orElse(lastSpec);
        // a cluster record read and found gone is a deleted cluster; one not read is the last known
        boolean listed = spec.instance(me).isPresent()
                && !(state == ClusterView.StoreState.READ && snapshot.spec().isEmpty());
        if (listed) {
            lastSpec = spec;
        }
        return new ClusterView(me, spec, listed, local, state, snapshot.bootstrap(), snapshot.lease(),
                snapshot.fence(), snapshot.members(), rewindFailed, startedAt, snapshot.request(), snapshot.paused());
    }

    /**
     * The coordination session expired, so another member may take the writer lease any moment: if
     * my server is the writer, stop it at once rather than wait for the next cycle. Called from the
     * store's connection thread; the engine's stopNow is safe to call concurrently with a cycle.
     */
    public void onSessionLost() {
        Observed o = latest;
        if (o != null && o.published().role() == io.multiaz.model.Role.WRITER) {
            LOG.warn("{}: coordination session lost while I am writer: stopping my server at once", me);
            try {
                engine.stopNow();
            } catch (RuntimeException e) {
                LOG.error("{}: immediate stop failed: {}; the HA loop demotes on its next cycle", me, e.getMessage());
            }
        }
    }

    private void logDecision(Decision decision) {
        if (!decision.reason().equals(lastReason)) {
            LOG.info("{}: {}", me, decision.reason());
            lastReason = decision.reason();
        } else {
            LOG.debug("{}: {}", me, decision.reason());
        }
    }

    private void publish(MemberState state, boolean connected) {
        if (!connected) {
            return;
        }
        try {
            store.publishMember(cluster, state);
        } catch (StoreException e) {
            LOG.warn("{}: cannot publish my state ({}); will retry next cycle", me, e.getMessage());
        }
    }

    private void act(Decision decision, ClusterView view) {
        try {
            executor.execute(decision.action(), view);
            lastFailure = null;
            if (storeOnly(decision.action())) {
                carried = view.local();
            }
            if (!(decision.action() instanceof Action.NoAction) || decision.refusal().isPresent()) {
                // only a history entry needs the server as it is after the action (timeline, LSN)
                boolean history = decision.action() instanceof Action.Promote
                        || decision.action() instanceof Action.CompleteBootstrap;
                LocalServer after = history ? engine.observe() : view.local();
                events.record(decision, view, null, after);
                if (decision.action() instanceof Action.Promote) {
                    // the endpoints and the other members learn of the new writer now, not a cycle later
                    ClusterView promoted = view.withLocal(after);
                    publish(MemberStates.of(promoted, decision, "promoted: " + decision.reason(), healthUrl,
                            clock.instant(), false), store.isConnected());
                }
            }
        } catch (RuntimeException e) {
            lastFailure = e.getMessage();
            rewindFailed |= decision.action() instanceof Action.Rewind;
            events.record(decision, view, e.getMessage(), view.local());
            LOG.warn("{}: {} failed: {}; deciding again next cycle", me, decision.action().label(), e.getMessage(), e);
        }
    }

    private static boolean storeOnly(Action action) {
        return action instanceof Action.AcquireLease || action instanceof Action.WriteFence
                || action instanceof Action.ReleaseLease || action instanceof Action.ClearRequest
                || action instanceof Action.ClaimBootstrap;
    }

    private void applyParameters() {
        java.util.Map<String, String> wanted = wantedParameters;
        if (wanted == null || wanted.equals(appliedParameters)) {
            return;
        }
        try {
            engine.applyParameters(wanted);
            if (appliedParameters != null) {
                LOG.info("{}: server parameters changed: {}", me, wanted);
                store.appendEvent(cluster, new ClusterEvent(clock.instant(), me, EventType.PARAMETERS_APPLIED,
                        "configuration reloaded with the parameter group and instance class settings"));
            }
            appliedParameters = wanted;
        } catch (RuntimeException e) {
            LOG.warn("{}: the new server parameters were not applied ({}); fix the parameter group", me,
                    e.getMessage());
            appliedParameters = wanted;
        }
    }

    private void restart() {
        LOG.info("{}: restarting the server as requested (RebootDBInstance)", me);
        try {
            engine.stop();
            store.appendEvent(cluster, new ClusterEvent(clock.instant(), me, EventType.RESTARTED,
                    "server stopped for a requested restart; starting it again"));
        } catch (RuntimeException e) {
            LOG.warn("{}: the requested restart failed to stop the server: {}", me, e.getMessage());
        }
    }

    /** Stops the server and withdraws this instance from the store; for agent shutdown. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * As {@link #shutdown()}; with {@code clean}, the server must shut down cleanly (pg_control says
     * so), as a final snapshot of its data directory needs. Failures are logged, not thrown.
     */
    public void shutdown(boolean clean) {
        try {
            if (clean) {
                engine.stopCleanly(java.time.Duration.ZERO);
                LOG.info("{}: server shut down cleanly", me);
            } else {
                engine.stop();
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: stopping the server{} failed: {}; {}", me, clean ? " cleanly" : "", e.getMessage(),
                    clean ? "the snapshot of its data directory waits until it is shut down cleanly"
                            : "the next agent start will recover it");
        }
        try {
            store.removeMember(cluster, me);
            store.releaseLease(cluster, me);
        } catch (StoreException e) {
            LOG.warn("{}: could not withdraw from the store ({}); my records expire with my session", me,
                    e.getMessage());
        }
        engine.close();
    }
}
