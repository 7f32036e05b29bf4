package io.multiaz.ha;

import io.multiaz.ha.Action.CloneFrom;
import io.multiaz.ha.Action.Demote;
import io.multiaz.ha.Action.Follow;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.Action.ReleaseLease;
import io.multiaz.ha.Action.StartAsStandby;
import io.multiaz.model.DataState;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
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
 * {@link HaPolicy} when another instance holds the writer lease, or my data directory is empty: an
 * empty instance clones the running writer, a standby starts, follows and streams from it, a
 * former writer demotes for it, and a holder that is not an instance is waited out. Rows of the
 * table that {@link HaPolicyTest} also checks against the invariants of every decision.
 */
final class FollowerRuleTest {
    private final HaPolicy policy = new HaPolicy();

    static Stream<Arguments> rows() {
        return Stream.of(
                // -- bootstrapped, my data directory is empty --
                row("empty data, I hold the lease",
                        bootstrappedAs("demo-1").lease("demo-1", true),
                        new ReleaseLease(), "releasing the writer lease: my data directory is empty"),
                row("empty data, lease free",
                        bootstrappedAs("demo-2"),
                        new NoAction(), "my data directory is empty and nobody holds the lease"),
                row("empty data, my previous session's lease",
                        bootstrappedAs("demo-2").lease("demo-2", false),
                        new NoAction(), "waiting for a writer to clone from"),
                row("empty data, holder has published nothing",
                        bootstrappedAs("demo-2").lease("demo-1", false),
                        new NoAction(), "waiting for writer demo-1 to be running before I clone it"),
                row("empty data, holder published as reader",
                        bootstrappedAs("demo-2").lease("demo-1", false).member("demo-1", Role.READER, ServerState.RUNNING),
                        new NoAction(), "waiting for writer demo-1 to be running before I clone it"),
                row("empty data, holder writer still starting",
                        bootstrappedAs("demo-2").lease("demo-1", false).member("demo-1", Role.WRITER, ServerState.STARTING),
                        new NoAction(), "waiting for writer demo-1 to be running before I clone it"),
                row("empty data, holder running writer",
                        bootstrappedAs("demo-2").lease("demo-1", false).runningWriter("demo-1"),
                        new CloneFrom(upstream("demo-1")), "cloning writer demo-1: my data directory is empty"),

                // -- another instance holds the lease --
                row("holder not an instance",
                        bootstrappedAs("demo-1").lease("ghost", false).local(standbyRunning("demo-2", true)),
                        new NoAction(), "the lease holder ghost is not an instance of cluster demo"),
                row("follower with a running former writer: demote",
                        bootstrappedAs("demo-1").lease("demo-2", false).fence("demo-2", 2, 1).local(configuredPrimary()),
                        new Demote(), "demoting: demo-2 holds the writer lease"),
                row("follower stopped",
                        bootstrappedAs("demo-1").lease("demo-2", false).local(stopped(DataState.STANDBY)),
                        new StartAsStandby(upstream("demo-2")), "starting as standby of writer demo-2"),
                row("follower not accepting",
                        bootstrappedAs("demo-1").lease("demo-2", false).local(runningNotAccepting(DataState.STANDBY)),
                        new NoAction(), "waiting for my standby server to accept connections"),
                row("follower following nobody",
                        bootstrappedAs("demo-1").lease("demo-2", false).local(standbyRunning(null, false)),
                        new Follow(upstream("demo-2")), "following writer demo-2 (I was following nobody)"),
                row("follower following the old writer",
                        bootstrappedAs("demo-1").lease("demo-2", false).local(standbyRunning("demo-3", true)),
                        new Follow(upstream("demo-2")), "following writer demo-2 (I was following demo-3)"),
                row("follower streaming",
                        bootstrappedAs("demo-1").lease("demo-2", false).local(standbyRunning("demo-2", true)),
                        new NoAction(), "no action: I am demo-1, reader streaming from demo-2"),
                row("follower not streaming",
                        bootstrappedAs("demo-3").lease("demo-2", false).local(standbyRunning("demo-2", false)),
                        new NoAction(), "no action: I am demo-3, reader following demo-2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_table(String name, ClusterView view, Action expected, String reasonFragment) {
        PolicyRows.assertDecides(policy, name, view, expected, reasonFragment);
    }

    @Test
    void decide_emptyDataWriterRunning_clonesFromWriterAddress() {
        ClusterView view = bootstrappedAs("demo-3").lease("demo-2", false).runningWriter("demo-2").build();

        CloneFrom clone = (CloneFrom) policy.decide(view, NOW).action();

        assertThat(clone.upstream().name()).isEqualTo("demo-2");
        assertThat(clone.upstream().host()).isEqualTo("127.0.0.1");
        assertThat(clone.upstream().port()).isEqualTo(6510);
    }

    @Test
    void decide_stoppedStandbyOtherHolds_startsAsStandbyOfHolderAddress() {
        ClusterView view = bootstrappedAs("demo-1").lease("demo-3", false).local(stopped(DataState.STANDBY)).build();

        StartAsStandby start = (StartAsStandby) policy.decide(view, NOW).action();

        assertThat(start.upstream().name()).isEqualTo("demo-3");
        assertThat(start.upstream().host()).isEqualTo("127.0.0.1");
        assertThat(start.upstream().port()).isEqualTo(6520);
    }

    @Test
    void decide_standbyFollowingOldWriter_followsHolderAddress() {
        ClusterView view = bootstrappedAs("demo-3").lease("demo-1", false).local(standbyRunning("demo-2", true)).build();

        Decision decision = policy.decide(view, NOW);

        Follow follow = (Follow) decision.action();
        assertThat(follow.upstream().name()).isEqualTo("demo-1");
        assertThat(follow.upstream().port()).isEqualTo(6500);
        assertThat(decision.reason()).isEqualTo("following writer demo-1 (I was following demo-2)");
    }

    @Test
    void decide_followerNotAccepting_waits() {
        ClusterView view = bootstrappedAs("demo-2").lease("demo-1", false)
                .local(runningNotAccepting(DataState.STANDBY)).build();

        assertThat(policy.decide(view, NOW)).isEqualTo(new Decision(new NoAction(),
                "no action: waiting for my standby server to accept connections"));
    }

    @Test
    void decide_followerOnHolder_wordingSaysStreamingOnlyWhenStreaming() {
        Views follower = bootstrappedAs("demo-2").lease("demo-1", false);

        Decision streaming = policy.decide(follower.local(standbyRunning("demo-1", true)).build(), NOW);
        Decision notStreaming = policy.decide(follower.local(standbyRunning("demo-1", false)).build(), NOW);

        assertThat(streaming.reason()).isEqualTo("no action: I am demo-2, reader streaming from demo-1");
        assertThat(notStreaming.reason()).isEqualTo("no action: I am demo-2, reader following demo-1");
        assertThat(streaming.action()).isEqualTo(new NoAction());
        assertThat(notStreaming.action()).isEqualTo(new NoAction());
    }

    @Test
    void decide_leaseHolderNotAnInstance_waitsWhateverMyServerDoes() {
        Views strangerHolds = bootstrappedAs("demo-1").lease("ghost", false).member("ghost", Role.WRITER,
                ServerState.RUNNING);

        for (var local : List.of(stopped(DataState.STANDBY), stopped(DataState.PRIMARY), standbyRunning("demo-2", true))) {
            assertThat(policy.decide(strangerHolds.local(local).build(), NOW)).isEqualTo(new Decision(new NoAction(),
                    "no action: the lease holder ghost is not an instance of cluster demo"));
        }
    }

    /** Regression: an empty data directory and a lease held by a non-instance used to throw. */
    @Test
    void decide_emptyDataLeaseHolderNotAnInstance_waitsInsteadOfThrowing() {
        ClusterView view = bootstrappedAs("demo-2").lease("ghost", false).runningWriter("ghost").build();

        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).isEqualTo(new NoAction());
        assertThat(decision.reason()).contains("ghost is not an instance of cluster demo");
    }
}
