package io.multiaz.agent.ha;

import io.multiaz.ha.Action;
import io.multiaz.ha.ClusterView;
import io.multiaz.ha.Decision;
import io.multiaz.ha.Refusal;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.DataState;
import io.multiaz.model.EventType;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.LocalServer;
import io.multiaz.store.InMemoryClusterStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which decisions become events: by their action and their refusal, never by their wording. */
final class EventRecorderTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final ClusterSpec SPEC = new ClusterSpec("demo", "postgres", 1, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500),
            new InstanceSpec("demo-2", "az-b", "127.0.0.1", 6510)),
            new Credentials("multiaz_admin", "su", "replicator", "repl", "admin", "master"), Map.of());
    private static final LocalServer STOPPED = LocalServer.stopped(DataState.PRIMARY, "7390000000000000001");
    private static final ClusterView VIEW = new ClusterView("demo-1", SPEC, true, STOPPED,
            ClusterView.StoreState.READ, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), false, NOW,
            Optional.empty(), false);

    private final InMemoryClusterStore store = new InMemoryClusterStore();
    private final EventRecorder recorder = new EventRecorder("demo", "demo-1", store,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private List<ClusterEvent> events() {
        return store.events("demo", 100);
    }

    private static Decision refusal(Refusal refusal, String reason) {
        return new Decision(new Action.NoAction(), "no action: " + reason, Optional.of(refusal));
    }

    /** Regression (issue 12): "refusing to start as writer" was recorded as promotion-refused. */
    @Test
    void record_refusalToStartAsWriter_isNotARefusedPromotion() {
        recorder.record(refusal(Refusal.WRITER_START, "the fencing record names demo-2 as writer of a cluster I am "
                + "still bootstrapping; refusing to start as writer"), VIEW, null, STOPPED);

        assertThat(events()).extracting(ClusterEvent::type).containsExactly(EventType.WRITER_START_REFUSED);
    }

    @Test
    void record_promotionRefusal_onceUntilItsReasonChanges() {
        Decision unreachable = refusal(Refusal.PROMOTION, "refusing to promote: standby demo-2 is unreachable");
        Decision behind = refusal(Refusal.PROMOTION, "refusing the failover to me: standby demo-2 is ahead");

        recorder.record(unreachable, VIEW, null, STOPPED);
        recorder.record(unreachable, VIEW, null, STOPPED);
        recorder.record(behind, VIEW, null, STOPPED);

        assertThat(events()).extracting(ClusterEvent::type)
                .containsExactly(EventType.PROMOTION_REFUSED, EventType.PROMOTION_REFUSED);
        assertThat(events()).extracting(ClusterEvent::message)
                .containsExactly(unreachable.reason(), behind.reason());
    }

    @Test
    void record_noActionWhoseWordingSaysRefusing_recordsNothing() {
        recorder.record(new Decision(new Action.NoAction(), "no action: refusing nothing, just waiting"), VIEW, null,
                STOPPED);

        assertThat(events()).isEmpty();
    }

    @Test
    void record_actionsCarriedOut_recordTheirEventAndRoutineOnesNone() {
        recorder.record(new Decision(new Action.AcquireLease(), "taking the lease"), VIEW, null, STOPPED);
        recorder.record(new Decision(new Action.ClaimBootstrap(), "claiming the bootstrap"), VIEW, null, STOPPED);
        recorder.record(new Decision(new Action.StartAsWriter(), "starting as writer"), VIEW, null, STOPPED);
        recorder.record(new Decision(new Action.Follow(null), "following"), VIEW, null, STOPPED);

        assertThat(events()).extracting(ClusterEvent::type)
                .containsExactly(EventType.LEASE_ACQUIRED, EventType.STARTED);
    }

    @Test
    void record_failedAction_actionFailedOnceUntilItsErrorChanges() {
        Decision start = new Decision(new Action.StartAsWriter(), "starting as writer");

        recorder.record(start, VIEW, "port in use", STOPPED);
        recorder.record(start, VIEW, "port in use", STOPPED);
        recorder.record(start, VIEW, "disk full", STOPPED);

        assertThat(events()).extracting(ClusterEvent::type)
                .containsExactly(EventType.ACTION_FAILED, EventType.ACTION_FAILED);
        assertThat(events().get(0).message()).isEqualTo("starting as writer - failed: port in use");
    }
}
