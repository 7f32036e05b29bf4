package io.multiaz.ha;

import io.multiaz.ha.Action.Demote;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.ClusterView.StoreState;
import io.multiaz.model.DataState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.multiaz.ha.PolicyRows.row;
import static io.multiaz.ha.Views.NOW;
import static io.multiaz.ha.Views.as;
import static io.multiaz.ha.Views.bootstrappedAs;
import static io.multiaz.ha.Views.configuredPrimary;
import static io.multiaz.ha.Views.emptyData;
import static io.multiaz.ha.Views.primaryInRecovery;
import static io.multiaz.ha.Views.primaryRecoveringNotAccepting;
import static io.multiaz.ha.Views.primaryRunning;
import static io.multiaz.ha.Views.runningNotAccepting;
import static io.multiaz.ha.Views.standbyRunning;
import static io.multiaz.ha.Views.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HaPolicy} rules that come before any other: a coordination session that is suspended, lost
 * or did not answer this cycle, and an instance that is no longer listed in its cluster. Rows of
 * the table that {@link HaPolicyTest} also checks against the invariants of every decision.
 */
final class SessionRuleTest {
    private final HaPolicy policy = new HaPolicy();

    static Stream<Arguments> rows() {
        return Stream.of(
                // -- the store --
                row("store unreachable, empty and unbootstrapped",
                        as("demo-1").storeConnected(false),
                        new NoAction(), "the coordination store is unreachable"),
                row("session suspended, running writer: wait, the watchdog guards the lease",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary())
                                .store(StoreState.SUSPENDED),
                        new NoAction(), "no action: the coordination session is suspended; waiting for it to "
                                + "reconnect or expire"),
                row("session suspended, empty and unbootstrapped",
                        as("demo-1").store(StoreState.SUSPENDED),
                        new NoAction(), "the coordination session is suspended"),
                row("store read failed, running writer: decide next cycle",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary())
                                .store(StoreState.READ_FAILED),
                        new NoAction(), "no action: the store did not answer this cycle"),
                row("store read failed, stopped standby: nothing started on stale records",
                        bootstrappedAs("demo-2").lease("demo-1", false).local(stopped(DataState.STANDBY))
                                .store(StoreState.READ_FAILED),
                        new NoAction(), "the store did not answer this cycle"),

                // -- no longer an instance --
                row("removed from the spec, running standby",
                        bootstrappedAs("demo-3").spec(Views.DEMO.withInstances(Views.DEMO.instances().subList(0, 2)))
                                .unlisted().lease("demo-1", false).local(standbyRunning("demo-1", true)),
                        new NoAction(), "no action: I am no longer an instance of cluster demo; waiting for my agent "
                                + "to stop me"),
                row("cluster deleted, running writer: the agent stops it",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary())
                                .unlisted(),
                        new NoAction(), "I am no longer an instance of cluster demo"),
                row("removed from the spec, then the session is lost: still wait to be stopped",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary())
                                .unlisted().storeConnected(false),
                        new NoAction(), "I am no longer an instance of cluster demo"),
                row("removed from the spec while the session is suspended: the session first",
                        bootstrappedAs("demo-3").spec(Views.DEMO.withInstances(Views.DEMO.instances().subList(0, 2)))
                                .unlisted().store(StoreState.SUSPENDED),
                        new NoAction(), "the coordination session is suspended"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_table(String name, ClusterView view, Action expected, String reasonFragment) {
        PolicyRows.assertDecides(policy, name, view, expected, reasonFragment);
    }

    @Test
    void decide_storeDisconnected_doesNothingUnlessMyServerMayTakeWrites() {
        List<Views> views = List.of(
                as("demo-1"),
                as("demo-1").bootstrap("demo-1", false).lease("demo-1", true).local(stopped(DataState.PRIMARY)),
                bootstrappedAs("demo-1").lease("demo-1", true).local(emptyData()),
                bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 1, 0).local(primaryInRecovery()),
                bootstrappedAs("demo-2").lease("demo-1", false).local(runningNotAccepting(DataState.STANDBY)),
                bootstrappedAs("demo-2").lease("demo-1", false).local(standbyRunning("demo-3", true)));

        for (Views view : views) {
            Decision decision = policy.decide(view.storeConnected(false).build(), NOW);
            assertThat(decision).isEqualTo(new Decision(new NoAction(),
                    "no action: the coordination store is unreachable; I keep my current role until it answers"));
        }
    }

    @Test
    void decide_storeDisconnected_demotesAServerThatMayTakeWrites() {
        Views writer = bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 1, 0).storeConnected(false);

        // a primary still in crash recovery counts: it would come up read-write
        for (var local : List.of(primaryRunning("", Set.of()), runningNotAccepting(DataState.PRIMARY),
                primaryRecoveringNotAccepting())) {
            Decision decision = policy.decide(writer.local(local).build(), NOW);
            assertThat(decision.action()).isEqualTo(new Demote());
            assertThat(decision.reason()).startsWith("demoting: my coordination session is lost");
        }
    }

    @Test
    void decide_lostSessionWithoutMyRecords_stillDemotesAWriter() {
        // the records are the last known: a lost session decides on them, a suspended one does not
        Views writer = bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary());

        assertThat(policy.decide(writer.store(StoreState.LOST).build(), NOW).action()).isEqualTo(new Demote());
        assertThat(policy.decide(writer.store(StoreState.SUSPENDED).build(), NOW).action()).isEqualTo(new NoAction());
        assertThat(writer.store(StoreState.LOST).build().publishable()).isTrue();
        assertThat(writer.store(StoreState.SUSPENDED).build().publishable()).isFalse();
    }
}
