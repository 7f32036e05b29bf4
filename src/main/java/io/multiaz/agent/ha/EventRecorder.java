package io.multiaz.agent.ha;

import io.multiaz.ha.Action;
import io.multiaz.ha.ClusterView;
import io.multiaz.ha.Decision;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.LocalServer;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Turns an instance's decisions into the cluster's events ({@code multiaz events}) and its
 * promotions into history entries ({@code multiaz history}). Routine actions (configuring, fencing
 * records, idle cycles) make no event; a refusal to promote is recorded once until its reason
 * changes. Store failures are logged and dropped: events never hold up the HA loop.
 *
 * <p>Called on the instance's HA loop thread only.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final String cluster;
    private final String me;
    private final ClusterStore store;
    private final Clock clock;
    private String lastRefusal;
    private String lastFailure;
    private String previousWriter;

    public EventRecorder(String cluster, String me, ClusterStore store, Clock clock) {
        this.cluster = cluster;
        this.me = me;
        this.store = store;
        this.clock = clock;
    }

    /** After {@code decision} was carried out ({@code failure} null) or failed. */
    public void record(Decision decision, ClusterView view, String failure, LocalServer after) {
        Action action = decision.action();
        if (action instanceof Action.WriteFence) {
            previousWriter = view.fence().map(Fence::writer).orElse(null);
        }
        if (failure != null) {
            // a failing action is retried every cycle: record it once until its error changes
            if (failure.equals(lastFailure)) {
                return;
            }
            lastFailure = failure;
        } else {
            lastFailure = null;
        }
        String type = failure != null ? failedType(action) : type(action);
        if (type == null && action instanceof Action.NoAction && decision.reason().contains("refusing")) {
            if (decision.reason().equals(lastRefusal)) {
                return;
            }
            lastRefusal = decision.reason();
            type = "promotion-refused";
        }
        if (type == null) {
            return;
        }
        append(new ClusterEvent(clock.instant(), me, type,
                failure == null ? decision.reason() : decision.reason() + " - failed: " + failure));
        if (failure == null && (action instanceof Action.Promote || action instanceof Action.CompleteBootstrap)) {
            long epoch = view.fence().map(Fence::epoch).orElse(1L);
            history(new HistoryEntry(epoch, after.timeline(), me,
                    action instanceof Action.Promote ? previousWriter : null, after.flushedLsn(), clock.instant(),
                    decision.reason()));
        }
    }

    private static String type(Action action) {
        return switch (action) {
            case Action.InitDb a -> "bootstrap-started";
            case Action.CompleteBootstrap a -> "bootstrapped";
            case Action.CloneFrom a -> "cloned";
            case Action.Detach a -> "failover-detected";
            case Action.AcquireLease a -> "lease-acquired";
            case Action.ReleaseLease a -> "lease-released";
            case Action.Promote a -> "promoted";
            case Action.Demote a -> "demoted";
            case Action.StepDown a -> "stepped-down";
            case Action.Rewind a -> "rejoined-by-rewind";
            case Action.Reclone a -> "reclone-started";
            case Action.ClearRequest a -> "request-ended";
            case Action.StartAsWriter a -> "started";
            case Action.StartAsStandby a -> "started";
            default -> null;
        };
    }

    private static String failedType(Action action) {
        return action instanceof Action.NoAction ? null : "action-failed";
    }

    private void append(ClusterEvent event) {
        try {
            store.appendEvent(cluster, event);
        } catch (StoreException e) {
            LOG.warn("{}: cannot record event {} ({}); it is only in this log", me, event.type(), e.getMessage());
        }
    }

    private void history(HistoryEntry entry) {
        try {
            store.appendHistory(cluster, entry);
        } catch (StoreException e) {
            LOG.warn("{}: cannot record history entry of epoch {} ({}); it is only in this log", me, entry.epoch(),
                    e.getMessage());
        }
    }
}
