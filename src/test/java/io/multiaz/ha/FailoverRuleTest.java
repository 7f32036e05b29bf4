package io.multiaz.ha;

import io.multiaz.ha.Action.AcquireLease;
import io.multiaz.ha.Action.Demote;
import io.multiaz.ha.Action.Detach;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.Action.Promote;
import io.multiaz.ha.Action.Reclone;
import io.multiaz.ha.Action.Rewind;
import io.multiaz.ha.Action.WriteFence;
import io.multiaz.model.DataState;
import io.multiaz.model.Fence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static io.multiaz.ha.Views.NOW;
import static io.multiaz.ha.Views.bootstrappedAs;
import static io.multiaz.ha.Views.configuredPrimary;
import static io.multiaz.ha.Views.standbyRunning;
import static io.multiaz.ha.Views.stopped;
import static io.multiaz.ha.Views.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover branches of {@link HaPolicy}: the RPO-0 promotion rule, demotion of a writer that may
 * have lost its lease, and the old writer's rejoin. The writer of epoch 1 was demo-1; every view
 * has no lease unless a row gives one.
 */
final class FailoverRuleTest {
    private final HaPolicy policy = new HaPolicy();

    private static Views afterWriterLoss(String me) {
        return bootstrappedAs(me).fence("demo-1", 1, 0);
    }

    private static Arguments row(String name, Views view, Action expected, String reasonFragment) {
        return Arguments.of(name, view, expected, reasonFragment);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("just started, last writer not back yet: give it the startup grace",
                        afterWriterLoss("demo-2").observingSince(NOW.minusSeconds(2))
                                .local(standbyRunning("demo-1", false)),
                        new NoAction(), "giving last writer demo-1 until 6 s after my start"),
                row("just started, last writer's agent is back but has no lease yet: still the grace",
                        afterWriterLoss("demo-2").observingSince(NOW.minusSeconds(2))
                                .member("demo-1", io.multiaz.model.Role.UNKNOWN, io.multiaz.model.ServerState.STOPPED)
                                .local(standbyRunning("demo-1", false)),
                        new NoAction(), "to take the lease back"),
                row("started 7 s ago, last writer still absent: failover starts",
                        afterWriterLoss("demo-2").observingSince(NOW.minusSeconds(7))
                                .local(standbyRunning("demo-1", false)),
                        new Detach(), "detaching from demo-1"),
                row("lease free, I still stream from the old writer",
                        afterWriterLoss("demo-2").local(standbyRunning("demo-1", true)),
                        new Detach(), "detaching from demo-1"),
                row("lease free, receiver dead but still configured",
                        afterWriterLoss("demo-2").local(standbyRunning("demo-1", false)),
                        new Detach(), "must stop moving"),
                row("detached, other standby unreachable: refuse",
                        afterWriterLoss("demo-2").local(standbyRunning(null, false)),
                        new NoAction(), "refusing to promote: standby demo-3 is unreachable"),
                row("detached, other standby still streaming: wait",
                        afterWriterLoss("demo-2").local(standbyRunning(null, false))
                                .streamingStandby("demo-3", "demo-1"),
                        new NoAction(), "waiting for standby demo-3 to stop receiving WAL"),
                row("detached, other standby behind: I take the lease",
                        afterWriterLoss("demo-2").local(standbyRunning(null, false))
                                .detachedStandby("demo-3", "0/3000000"),
                        new AcquireLease(), "highest flushed LSN (0/3000060) of 2 of 2 standbys"),
                row("detached, other standby ahead: it promotes, not me",
                        afterWriterLoss("demo-2").local(standbyRunning(null, false))
                                .detachedStandby("demo-3", "0/4000000"),
                        new NoAction(), "standby demo-3 should promote"),
                row("tie, my name sorts first: I take the lease",
                        afterWriterLoss("demo-2").local(standbyRunning(null, false))
                                .detachedStandby("demo-3", "0/3000060"),
                        new AcquireLease(), "of 2 of 2 standbys"),
                row("tie, the other's name sorts first: it promotes",
                        afterWriterLoss("demo-3").local(standbyRunning(null, false))
                                .detachedStandby("demo-2", "0/3000060"),
                        new NoAction(), "its name sorts first"),
                row("I hold the lease as a standby, fence names the old writer: fence epoch 2",
                        afterWriterLoss("demo-2").lease("demo-2", true).local(standbyRunning(null, false)),
                        new WriteFence(new Fence("demo-2", 2, -1), 0), "fencing epoch 2 before I promote"),
                row("I hold the lease and the fence: promote",
                        bootstrappedAs("demo-2").fence("demo-2", 2, 1).lease("demo-2", true)
                                .local(standbyRunning(null, false)),
                        new Promote(1, java.util.List.of("demo-1", "demo-3")), "promoting: I hold the writer lease"),
                row("someone else holds the lease while I run read-write: demote",
                        afterWriterLoss("demo-1").lease("demo-2", false).runningWriter("demo-2")
                                .local(configuredPrimary()),
                        new Demote(), "demo-2 holds the writer lease"),
                row("nobody holds the lease and the fence names another while I run read-write: demote",
                        bootstrappedAs("demo-1").fence("demo-2", 2, 1).local(configuredPrimary()),
                        new Demote(), "fencing record names demo-2"),
                row("coordination session lost while I run read-write: demote",
                        afterWriterLoss("demo-1").lease("demo-1", true).storeConnected(false)
                                .local(configuredPrimary()),
                        new Demote(), "coordination session is lost"),
                row("coordination session lost on a standby: nothing",
                        afterWriterLoss("demo-2").storeConnected(false).local(standbyRunning("demo-1", true)),
                        new NoAction(), "unreachable"),
                row("stopped former writer, new writer running: rewind",
                        bootstrappedAs("demo-1").fence("demo-2", 2, 1).lease("demo-2", false)
                                .runningWriter("demo-2").local(stopped(DataState.PRIMARY)),
                        new Rewind(upstream("demo-2")), "rewinding my former writer's data to follow demo-2"),
                row("stopped former writer, rewind failed: re-clone",
                        bootstrappedAs("demo-1").fence("demo-2", 2, 1).lease("demo-2", false)
                                .runningWriter("demo-2").rewindFailed().local(stopped(DataState.PRIMARY)),
                        new Reclone(), "re-cloning"),
                row("stopped former writer, new writer not running yet: wait",
                        bootstrappedAs("demo-1").fence("demo-2", 2, 1).lease("demo-2", false)
                                .local(stopped(DataState.PRIMARY)),
                        new NoAction(), "waiting for writer demo-2 to be running before I rewind"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_failoverRow_expectedActionAndReason(String name, Views view, Action expected, String fragment) {
        Decision decision = policy.decide(view.build(), NOW);

        assertThat(decision.action()).as(name).isEqualTo(expected);
        assertThat(decision.reason()).as(name).contains(fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_row_refusesPromotionExactlyWhenItsReasonSaysRefusing(String name, Views view, Action expected,
                                                                      String fragment) {
        Decision decision = policy.decide(view.build(), NOW);

        boolean refusing = decision.action() instanceof NoAction && decision.reason().contains("refusing");
        assertThat(decision.refusal()).as(name).isEqualTo(refusing ? Optional.of(Refusal.PROMOTION) : Optional.empty());
    }
}
