package io.multiaz.agent.ha;

import io.multiaz.engine.DatabaseEngine;
import io.multiaz.engine.ServerRole;
import io.multiaz.ha.Action;
import io.multiaz.ha.ClusterView;
import io.multiaz.model.Lsn;
import io.multiaz.model.OperatorRequest;
import io.multiaz.store.ClusterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one decided {@link Action} against the engine and the store. It decides nothing:
 * whether the action worked is observed on the next cycle. Throws whatever the engine or store
 * throws; the supervisor logs it and decides again.
 */
public final class ActionExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);
    /** How long a stepping-down writer waits for connections in flight; part of the switchover's 0.5 s. */
    static final java.time.Duration STEP_DOWN_DRAIN = java.time.Duration.ofMillis(200);

    private final String cluster;
    private final DatabaseEngine engine;
    private final ClusterStore store;

    public ActionExecutor(String cluster, DatabaseEngine engine, ClusterStore store) {
        this.cluster = cluster;
        this.engine = engine;
        this.store = store;
    }

    /**
     * Stops cleanly, records where my WAL ends, and only then releases the lease; if the request is
     * gone meanwhile the lease is kept and the next cycle restarts me as the writer. Before it stops,
     * the server gets up to {@link #STEP_DOWN_DRAIN} for connections in flight (a handshake, a
     * statement, a transaction) to finish: the writer endpoint already holds new ones, so after that
     * the stop ends only idle sessions.
     */
    private void stepDown(Action.StepDown s, String me) {
        Lsn end = engine.stopCleanly(STEP_DOWN_DRAIN);
        OperatorRequest mine = s.request();
        if (!store.updateRequest(cluster, cur -> cur.sameRequest(mine)
                ? mine.withWriterStoppedAt(end).withEndpointsHeldAt(cur.endpointsHeldAt()) : null)) {
            LOG.warn("the {} request vanished while I stopped; keeping the lease", s.request().kind());
            return;
        }
        store.releaseLease(cluster, me);
        LOG.info("stepped down at {} for {} to {}", end, s.request().kind(), s.request().to());
    }

    public void execute(Action action, ClusterView view) {
        String me = view.me();
        switch (action) {
            case Action.NoAction n -> {
            }
            case Action.ClaimBootstrap c -> {
                boolean won = store.claimBootstrap(cluster, me);
                LOG.info("bootstrap claim of cluster {}: {}", cluster, won ? "won" : "lost");
            }
            case Action.InitDb i -> engine.initialize();
            case Action.AcquireLease a -> {
                boolean got = store.acquireLease(cluster, me);
                LOG.info("writer lease of cluster {}: {}", cluster, got ? "acquired" : "held by someone else");
            }
            case Action.ReleaseLease r -> store.releaseLease(cluster, me);
            case Action.WriteFence f -> {
                if (!store.writeFence(cluster, f.next(), f.expectedVersion())) {
                    LOG.warn("fencing record of cluster {} changed under me; deciding again", cluster);
                }
            }
            case Action.StartAsWriter s -> engine.start(ServerRole.PRIMARY, null);
            case Action.StartAsStandby s -> engine.start(ServerRole.STANDBY, s.upstream());
            case Action.CompleteBootstrap c -> {
                engine.completeBootstrap(c.standbySlots());
                engine.configureWriter(c.quorum(), c.standbyNames(), c.standbySlots());
                store.completeBootstrap(cluster, me, engine.observe().systemId());
            }
            case Action.CloneFrom c -> engine.cloneFrom(c.upstream());
            case Action.Follow f -> engine.follow(f.upstream());
            case Action.ConfigureWriter c -> engine.configureWriter(c.quorum(), c.standbyNames(), c.standbySlots());
            case Action.Demote d -> engine.stopNow();
            case Action.Detach d -> engine.detach();
            case Action.Promote p -> engine.promote(p.quorum(), p.standbyNames());
            case Action.Rewind r -> engine.rewind(r.upstream());
            case Action.Reclone r -> engine.discardData();
            case Action.StepDown s -> stepDown(s, me);
            case Action.ClearRequest c -> store.clearRequest(cluster);
        }
    }
}
