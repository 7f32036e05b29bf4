package io.multiaz.ha;

import io.multiaz.ha.Action.AcquireLease;
import io.multiaz.ha.Action.ClaimBootstrap;
import io.multiaz.ha.Action.CompleteBootstrap;
import io.multiaz.ha.Action.InitDb;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.Action.StartAsWriter;
import io.multiaz.ha.Action.WriteFence;
import io.multiaz.model.DataState;
import io.multiaz.model.Fence;
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
import static io.multiaz.ha.Views.primaryRunning;
import static io.multiaz.ha.Views.runningNotAccepting;
import static io.multiaz.ha.Views.standbyRunning;
import static io.multiaz.ha.Views.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HaPolicy} before the cluster is bootstrapped: claiming the bootstrap, initialising, taking
 * the first lease and fence, starting as the first writer and completing the bootstrap; refusing to
 * initialise over existing data. Rows of the table that {@link HaPolicyTest} also checks against
 * the invariants of every decision.
 */
final class BootstrapRuleTest {
    private final HaPolicy policy = new HaPolicy();

    static Stream<Arguments> rows() {
        return Stream.of(
                // -- no bootstrap record --
                row("unbootstrapped, empty data",
                        as("demo-1"),
                        new ClaimBootstrap(), "claiming the bootstrap: cluster demo has no data yet and nobody has claimed it"),
                row("unbootstrapped, primary data",
                        as("demo-1").local(stopped(DataState.PRIMARY)),
                        new NoAction(), "I will not initialise over it"),
                row("unbootstrapped, running standby data",
                        as("demo-2").local(standbyRunning("demo-1", true)),
                        new NoAction(), "no bootstrap record of cluster demo but I have a data directory"),

                // -- bootstrap under way --
                row("bootstrapping by someone else",
                        as("demo-1").bootstrap("demo-2", false),
                        new NoAction(), "waiting for demo-2 to finish bootstrapping cluster demo"),
                row("bootstrapping by someone else, I have data",
                        as("demo-3").bootstrap("demo-2", false).local(stopped(DataState.PRIMARY)),
                        new NoAction(), "waiting for demo-2 to finish bootstrapping"),
                row("bootstrap owner, empty data",
                        as("demo-1").bootstrap("demo-1", false),
                        new InitDb(), "initialising: I won the bootstrap of cluster demo"),
                row("bootstrap owner, another holds the lease",
                        as("demo-1").bootstrap("demo-1", false).local(stopped(DataState.PRIMARY))
                                .lease("demo-2", false),
                        new NoAction(), "I own the bootstrap but demo-2 holds the writer lease; waiting for it to go"),
                row("bootstrap owner, lease free",
                        as("demo-1").bootstrap("demo-1", false).local(stopped(DataState.PRIMARY)),
                        new AcquireLease(), "taking the writer lease: I bootstrapped cluster demo"),
                row("bootstrap owner, my previous session's lease",
                        as("demo-1").bootstrap("demo-1", false).local(stopped(DataState.PRIMARY))
                                .lease("demo-1", false),
                        new AcquireLease(), "taking the writer lease: I bootstrapped cluster demo"),
                row("bootstrap owner with lease, no fence",
                        as("demo-1").bootstrap("demo-1", false).local(stopped(DataState.PRIMARY))
                                .lease("demo-1", true),
                        new WriteFence(new Fence("demo-1", 1, -1), -1), "recording myself as the writer of epoch 1"),
                row("bootstrap owner with lease, fence names another",
                        as("demo-1").bootstrap("demo-1", false).local(stopped(DataState.PRIMARY))
                                .lease("demo-1", true).fence("demo-2", 4, 7),
                        new NoAction(), "the fencing record names demo-2 as writer of a cluster I am still bootstrapping"),
                row("bootstrap owner with lease and fence, stopped",
                        as("demo-1").bootstrap("demo-1", false).local(stopped(DataState.PRIMARY))
                                .lease("demo-1", true).fence("demo-1", 1, 0),
                        new StartAsWriter(), "starting as writer: I hold the lease of the new cluster"),
                row("bootstrap owner with lease and fence, not accepting",
                        as("demo-1").bootstrap("demo-1", false).local(runningNotAccepting(DataState.PRIMARY))
                                .lease("demo-1", true).fence("demo-1", 1, 0),
                        new NoAction(), "waiting for my new server to accept connections"),
                row("bootstrap owner with lease and fence, accepting",
                        as("demo-1").bootstrap("demo-1", false).local(primaryRunning("", Set.of()))
                                .lease("demo-1", true).fence("demo-1", 1, 0),
                        new CompleteBootstrap(1, List.of("demo-2", "demo-3"), List.of("demo_2", "demo_3")),
                        "completing the bootstrap: creating roles and 2 replication slots"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_table(String name, ClusterView view, Action expected, String reasonFragment) {
        PolicyRows.assertDecides(policy, name, view, expected, reasonFragment);
    }

    @Test
    void decide_bootstrapOwnerAccepting_completesBootstrapWithOtherInstances() {
        ClusterView view = as("demo-2").bootstrap("demo-2", false).lease("demo-2", true).fence("demo-2", 1, 0)
                .local(primaryRunning("", Set.of())).build();

        Decision decision = policy.decide(view, NOW);

        CompleteBootstrap complete = (CompleteBootstrap) decision.action();
        assertThat(complete.quorum()).isEqualTo(1);
        assertThat(complete.standbyNames()).containsExactly("demo-1", "demo-3");
        assertThat(complete.standbySlots()).containsExactly("demo_1", "demo_3");
        assertThat(decision.reason()).isEqualTo("completing the bootstrap: creating roles and 2 replication slots");
    }

    @Test
    void decide_bootstrapOwnerWithLeaseNoFence_writesFenceEpoch1ExpectingNoRecord() {
        ClusterView view = as("demo-1").bootstrap("demo-1", false).lease("demo-1", true)
                .local(stopped(DataState.PRIMARY)).build();

        WriteFence fence = (WriteFence) policy.decide(view, NOW).action();

        assertThat(fence.next().writer()).isEqualTo("demo-1");
        assertThat(fence.next().epoch()).isEqualTo(1);
        assertThat(fence.next().version()).isEqualTo(-1);
        assertThat(fence.expectedVersion()).isEqualTo(-1);
    }

    /** Regression (issue 12): a bootstrap owner refusing to start as writer was recorded as a refused promotion. */
    @Test
    void decide_bootstrapOwnerFencedByAnother_refusesToStartAsWriterNotToPromote() {
        ClusterView view = as("demo-1").bootstrap("demo-1", false).local(stopped(DataState.PRIMARY))
                .lease("demo-1", true).fence("demo-2", 4, 7).build();

        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).isEqualTo(new NoAction());
        assertThat(decision.refusal()).contains(Refusal.WRITER_START);
    }

    @Test
    void decide_unbootstrappedWithData_refusesToInitialiseAndSaysWhatToDo() {
        for (DataState data : List.of(DataState.PRIMARY, DataState.STANDBY)) {
            Decision decision = policy.decide(as("demo-1").local(stopped(data)).build(), NOW);

            assertThat(decision.action()).as(data.name()).isEqualTo(new NoAction());
            assertThat(decision.reason()).as(data.name())
                    .contains("the store has no bootstrap record of cluster demo")
                    .contains("I will not initialise over it")
                    .contains("restore the store, or remove my data directory to start afresh");
        }
    }
}
