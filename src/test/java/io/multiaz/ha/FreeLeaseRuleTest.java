package io.multiaz.ha;

import io.multiaz.ha.Action.AcquireLease;
import io.multiaz.ha.Action.Demote;
import io.multiaz.ha.Action.Detach;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.Action.ReleaseLease;
import io.multiaz.ha.Action.StartAsStandby;
import io.multiaz.model.DataState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.multiaz.ha.PolicyRows.row;
import static io.multiaz.ha.Views.NOW;
import static io.multiaz.ha.Views.as;
import static io.multiaz.ha.Views.bootstrappedAs;
import static io.multiaz.ha.Views.configuredPrimary;
import static io.multiaz.ha.Views.runningNotAccepting;
import static io.multiaz.ha.Views.standbyRunning;
import static io.multiaz.ha.Views.stopped;
import static io.multiaz.ha.Views.upstream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HaPolicy} when nobody holds the writer lease, or only my previous session: the last writer
 * takes it back, a writer fenced by another demotes, a standby starts or detaches, and promotion is
 * refused while another standby is unpublished. Rows of the table that {@link HaPolicyTest} also
 * checks against the invariants of every decision.
 */
final class FreeLeaseRuleTest {
    private final HaPolicy policy = new HaPolicy();

    static Stream<Arguments> rows() {
        return Stream.of(
                // -- nobody (or my previous session) holds the lease --
                row("lease free, last writer's data",
                        bootstrappedAs("demo-1").fence("demo-1", 2, 1).local(stopped(DataState.PRIMARY)),
                        new AcquireLease(), "the lease is free and I am the last writer (epoch 2)"),
                row("lease stale mine, last writer's data",
                        bootstrappedAs("demo-1").lease("demo-1", false).fence("demo-1", 2, 1).local(configuredPrimary()),
                        new AcquireLease(), "taking over the lease my previous session left: I am the last writer (epoch 2)"),
                row("lease free, running writer but fence names another: demote",
                        bootstrappedAs("demo-1").fence("demo-2", 5, 4).local(configuredPrimary()),
                        new Demote(), "demoting: nobody holds the writer lease and the fencing record names demo-2"),
                row("lease free, writer's data and no fence",
                        bootstrappedAs("demo-1").local(stopped(DataState.PRIMARY)),
                        new NoAction(), "the fencing record names nobody"),
                row("lease free, stopped standby, last writer known",
                        bootstrappedAs("demo-1").fence("demo-2", 5, 4).local(stopped(DataState.STANDBY)),
                        new StartAsStandby(upstream("demo-2")),
                        "starting as standby of last writer demo-2: nobody holds the writer lease"),
                row("lease stale mine, stopped standby",
                        bootstrappedAs("demo-1").lease("demo-1", false).fence("demo-3", 5, 4).local(stopped(DataState.STANDBY)),
                        new StartAsStandby(upstream("demo-3")), "starting as standby of last writer demo-3"),
                row("lease free, stopped standby, no fence",
                        bootstrappedAs("demo-1").local(stopped(DataState.STANDBY)),
                        new StartAsStandby(null), "starting as standby: nobody holds the writer lease"),
                row("lease free, stopped standby, fence names a stranger",
                        bootstrappedAs("demo-1").fence("ghost", 5, 4).local(stopped(DataState.STANDBY)),
                        new StartAsStandby(null), "starting as standby: nobody holds the writer lease"),
                row("lease free, running standby still following last writer: detach",
                        bootstrappedAs("demo-1").fence("demo-2", 5, 4).local(standbyRunning("demo-2", false)),
                        new Detach(), "detaching from demo-2: the writer lease is free"),
                row("lease free, standby not accepting yet: wait",
                        bootstrappedAs("demo-1").fence("demo-2", 5, 4).local(runningNotAccepting(DataState.STANDBY)),
                        new NoAction(), "no action: waiting for my standby server to accept connections"),
                row("lease free, detached standby, no fence, others unpublished: refuse",
                        bootstrappedAs("demo-1").local(standbyRunning(null, false)),
                        new NoAction(), "no action: refusing to promote: standby demo-2 is unreachable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_table(String name, ClusterView view, Action expected, String reasonFragment) {
        PolicyRows.assertDecides(policy, name, view, expected, reasonFragment);
    }

    @Test
    void decide_leaseNotMine_neverReleasesIt() {
        // a lease naming me that my current session does not hold is not mine to release
        ClusterView view = bootstrappedAs("demo-1").lease("demo-1", false).fence("demo-1", 2, 1)
                .local(stopped(DataState.STANDBY)).build();

        assertThat(policy.decide(view, NOW).action()).isNotInstanceOf(ReleaseLease.class);
    }

    @Test
    void decide_lastWriterStaleOwnLease_takesOverWithDifferentWordingThanFreeLease() {
        Views lastWriter = bootstrappedAs("demo-1").fence("demo-1", 7, 6).local(stopped(DataState.PRIMARY));

        Decision stale = policy.decide(lastWriter.lease("demo-1", false).build(), NOW);
        Decision free = policy.decide(as("demo-1").bootstrap("demo-1", true).fence("demo-1", 7, 6)
                .local(stopped(DataState.PRIMARY)).build(), NOW);

        assertThat(stale.action()).isEqualTo(new AcquireLease());
        assertThat(free.action()).isEqualTo(new AcquireLease());
        assertThat(stale.reason())
                .isEqualTo("taking over the lease my previous session left: I am the last writer (epoch 7)");
        assertThat(free.reason()).isEqualTo("the lease is free and I am the last writer (epoch 7)");
    }

    @Test
    void decide_otherStandbyUnpublished_refusesPromotion() {
        ClusterView view = bootstrappedAs("demo-1").local(standbyRunning(null, false)).build();

        assertThat(policy.decide(view, NOW).refusal()).contains(Refusal.PROMOTION);
    }

    /** Regression: the last writer with standby data used to be told to follow itself. */
    @Test
    void decide_lastWriterWithStandbyData_startsAsStandbyWithoutUpstream() {
        ClusterView view = bootstrappedAs("demo-1").fence("demo-1", 2, 1).local(stopped(DataState.STANDBY)).build();

        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).isEqualTo(new StartAsStandby(null));
        assertThat(decision.reason()).doesNotContain("of last writer demo-1");
    }
}
