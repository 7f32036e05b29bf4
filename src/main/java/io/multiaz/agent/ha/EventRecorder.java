package io.multiaz.agent.ha;

import io.multiaz.ha.Action;
import io.multiaz.ha.ClusterView;
import io.multiaz.ha.Decision;
import io.multiaz.ha.Refusal;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.LocalServer;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * Turns an instance's decisions into the cluster's events ({@code multiaz events}) and its
 * promotions into history entries ({@code multiaz history}). Routine actions (configuring, fencing
 * records, idle cycles) make no event; a refusal ({@link Decision#refusal()}: to promote, to start as
 * writer) is recorded once until its reason changes. Store failures are logged and dropped: events
 * never hold up the HA loop.
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
        Optional<EventType> type = failure != null ? failed(action)
                : decision.refusal().map(EventRecorder::refused).or(() -> done(action));
        if (type.isEmpty()) {
            return;
        }
        if (failure == null && decision.refusal().isPresent()) {
            // a refusal holds every cycle until its cause goes: record it once until its reason changes
            if (decision.reason().equals(lastRefusal)) {
                return;
            }
            lastRefusal = decision.reason();
        }
        append(new ClusterEvent(clock.instant(), me, type.get(),
                failure == null ? decision.reason() : decision.reason() + " - failed: " + failure));
        if (failure == null && (action instanceof Action.Promote || action instanceof Action.CompleteBootstrap)) {
            long epoch = view.fence().map(Fence::epoch).orElse(1L);
            history(new HistoryEntry(epoch, after.timeline(), me,
                    action instanceof Action.Promote ? previousWriter : null, after.flushedLsn(), clock.instant(),
                    decision.reason()));
        }
    }

    /** The event of {@code action} carried out; empty for routine ones (configuring, fencing, claims, idling). */
    private static Optional<EventType> done(Action action) {
        EventType type = switch (action) {
            case Action.InitDb a -> EventType.BOOTSTRAP_STARTED;
            case Action.CompleteBootstrap a -> EventType.BOOTSTRAPPED;
            case Action.CloneFrom a -> EventType.CLONED;
            case Action.Detach a -> EventType.FAILOVER_DETECTED;
            case Action.AcquireLease a -> EventType.LEASE_ACQUIRED;
            case Action.ReleaseLease a -> EventType.LEASE_RELEASED;
            case Action.Promote a -> EventType.PROMOTED;
            case Action.Demote a -> EventType.DEMOTED;
            case Action.StepDown a -> EventType.STEPPED_DOWN;
            case Action.Rewind a -> EventType.REJOINED_BY_REWIND;
            case Action.Reclone a -> EventType.RECLONE_STARTED;
            case Action.ClearRequest a -> EventType.REQUEST_ENDED;
            case Action.StartAsWriter a -> EventType.STARTED;
            case Action.StartAsStandby a -> EventType.STARTED;
            // routine: a new action must be placed on one side or the other, hence no default
            case Action.NoAction a -> null;
            case Action.ClaimBootstrap a -> null;
            case Action.WriteFence a -> null;
            case Action.Follow a -> null;
            case Action.ConfigureWriter a -> null;
        };
        return Optional.ofNullable(type);
    }

    private static EventType refused(Refusal refusal) {
        return switch (refusal) {
            case PROMOTION -> EventType.PROMOTION_REFUSED;
            case WRITER_START -> EventType.WRITER_START_REFUSED;
        };
    }

    private static Optional<EventType> failed(Action action) {
        return action instanceof Action.NoAction ? Optional.empty() : Optional.of(EventType.ACTION_FAILED);
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
