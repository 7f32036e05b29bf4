package io.multiaz.ha;

import io.multiaz.ha.Action.ConfigureWriter;
import io.multiaz.ha.Action.Demote;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.Action.Promote;
import io.multiaz.ha.Action.ReleaseLease;
import io.multiaz.ha.Action.StartAsStandby;
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
import static io.multiaz.ha.Views.DEMO_1_SLOTS;
import static io.multiaz.ha.Views.DEMO_1_SYNC_NAMES;
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
 * {@link HaPolicy} when I hold the writer lease: the fence first, then starting, promoting or
 * configuring the writer (synchronous quorum and one slot per standby, as instances come and go);
 * a fence naming another writer stops me. Rows of the table that {@link HaPolicyTest} also checks
 * against the invariants of every decision.
 */
final class WriterRuleTest {
    private final HaPolicy policy = new HaPolicy();

    static Stream<Arguments> rows() {
        return Stream.of(
                // -- I hold the lease --
                row("lease, stopped standby data, no fence: fence first",
                        bootstrappedAs("demo-1").lease("demo-1", true).local(stopped(DataState.STANDBY)),
                        new WriteFence(new Fence("demo-1", 1, -1), -1),
                        "recording myself as the writer of epoch 1: the fencing record is missing"),
                row("lease, running standby, no fence: fence first",
                        bootstrappedAs("demo-1").lease("demo-1", true).local(standbyRunning("demo-2", true)),
                        new WriteFence(new Fence("demo-1", 1, -1), -1), "the fencing record is missing"),
                row("lease, primary data but server in recovery, no fence: fence first",
                        bootstrappedAs("demo-1").lease("demo-1", true).local(primaryInRecovery()),
                        new WriteFence(new Fence("demo-1", 1, -1), -1), "the fencing record is missing"),
                row("lease, primary stopped",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1).local(stopped(DataState.PRIMARY)),
                        new StartAsWriter(), "starting as writer: I hold the lease"),
                row("lease, primary not accepting",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1)
                                .local(runningNotAccepting(DataState.PRIMARY)),
                        new NoAction(), "waiting for my server to accept connections as writer"),
                row("lease, primary in crash recovery, not accepting yet",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1)
                                .local(primaryRecoveringNotAccepting()),
                        new NoAction(), "waiting for my server to accept connections as writer"),
                row("lease, asynchronous writer",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1)
                                .local(primaryRunning("", DEMO_1_SLOTS)),
                        configureDemo1(), "configuring replication: synchronous_standby_names should be '"
                                + DEMO_1_SYNC_NAMES + "' with a slot per standby"),
                row("lease, standbys listed in another order",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1)
                                .local(primaryRunning("ANY 1 (\"demo-3\", \"demo-2\")", DEMO_1_SLOTS)),
                        configureDemo1(), "configuring replication"),
                row("lease, quorum of 2 set",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1)
                                .local(primaryRunning("ANY 2 (\"demo-2\", \"demo-3\")", DEMO_1_SLOTS)),
                        configureDemo1(), "configuring replication"),
                row("lease, a slot missing",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1)
                                .local(primaryRunning(DEMO_1_SYNC_NAMES, Set.of("demo_2"))),
                        configureDemo1(), "with a slot per standby"),
                row("lease, configured writer",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary()),
                        new NoAction(), "no action: I am demo-1, writer holding the lease (epoch 3)"),
                row("lease, configured writer with the slot of an instance that left",
                        bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 3, 2)
                                .local(primaryRunning(DEMO_1_SYNC_NAMES, Set.of("demo_2", "demo_3", "demo_4"))),
                        configureDemo1(), "and no slot of an instance that left the cluster (dropping [demo_4])"),
                row("lease, configured writer, no fence record",
                        bootstrappedAs("demo-1").lease("demo-1", true).local(configuredPrimary()),
                        new WriteFence(new Fence("demo-1", 1, -1), -1), "the fencing record is missing"));
    }

    private static ConfigureWriter configureDemo1() {
        return new ConfigureWriter(1, List.of("demo-2", "demo-3"), List.of("demo_2", "demo_3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_table(String name, ClusterView view, Action expected, String reasonFragment) {
        PolicyRows.assertDecides(policy, name, view, expected, reasonFragment);
    }

    @Test
    void decide_writerMissingQuorum_configuresBothStandbysAndTheirSlots() {
        ClusterView view = bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 1, 0)
                .local(primaryRunning("", Set.of())).build();

        Decision decision = policy.decide(view, NOW);

        ConfigureWriter configure = (ConfigureWriter) decision.action();
        assertThat(configure.quorum()).isEqualTo(1);
        assertThat(configure.standbyNames()).containsExactly("demo-2", "demo-3");
        assertThat(configure.standbySlots()).containsExactly("demo_2", "demo_3");
        assertThat(decision.reason()).contains("'ANY 1 (\"demo-2\", \"demo-3\")'");
    }

    @Test
    void decide_writerIsDemo2_configuresTheOtherTwoInSpecOrder() {
        ClusterView view = bootstrappedAs("demo-2").lease("demo-2", true).fence("demo-2", 2, 1)
                .local(primaryRunning(DEMO_1_SYNC_NAMES, DEMO_1_SLOTS)).build();

        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).isEqualTo(
                new ConfigureWriter(1, List.of("demo-1", "demo-3"), List.of("demo_1", "demo_3")));
        assertThat(decision.reason()).contains("'ANY 1 (\"demo-1\", \"demo-3\")'");
    }

    @Test
    void decide_instanceAddedToRunningCluster_writerAddsItsSlotAndSyncName() {
        ClusterView view = bootstrappedAs("demo-1").spec(Views.DEMO.withInstances(java.util.stream.Stream.concat(
                        Views.DEMO.instances().stream(),
                        Stream.of(new io.multiaz.model.InstanceSpec("demo-4", "az-a", "127.0.0.1", 6530))).toList()))
                .lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary()).build();

        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).isEqualTo(new ConfigureWriter(1, List.of("demo-2", "demo-3", "demo-4"),
                List.of("demo_2", "demo_3", "demo_4")));
        assertThat(decision.reason()).contains("'ANY 1 (\"demo-2\", \"demo-3\", \"demo-4\")'")
                .doesNotContain("dropping");
    }

    @Test
    void decide_instanceRemovedFromRunningCluster_writerDropsItsSlotAndSyncName() {
        ClusterView view = bootstrappedAs("demo-1").spec(Views.DEMO.withInstances(Views.DEMO.instances().subList(0, 2)))
                .lease("demo-1", true).fence("demo-1", 3, 2).local(configuredPrimary()).build();

        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).isEqualTo(new ConfigureWriter(1, List.of("demo-2"), List.of("demo_2")));
        assertThat(decision.reason()).contains("'ANY 1 (\"demo-2\")'", "dropping [demo_3]");
    }

    @Test
    void decide_onlyAStaleSlotLeft_writerStillDropsIt() {
        // the setting was already changed when the writer last failed to drop the slot (still in use)
        ClusterView view = bootstrappedAs("demo-1").spec(Views.DEMO.withInstances(Views.DEMO.instances().subList(0, 2)))
                .lease("demo-1", true).fence("demo-1", 3, 2)
                .local(Views.primaryRunning("ANY 1 (\"demo-2\")", DEMO_1_SLOTS)).build();

        assertThat(policy.decide(view, NOW).action())
                .isEqualTo(new ConfigureWriter(1, List.of("demo-2"), List.of("demo_2")));
    }

    @Test
    void decide_holdingLeaseWithEmptyData_releasesLease() {
        Views holding = bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1);

        assertThat(policy.decide(holding.local(emptyData()).build(), NOW)).isEqualTo(new Decision(new ReleaseLease(),
                "releasing the writer lease: my data directory is empty"));
    }

    @Test
    void decide_holdingLeaseAndFenceWithStandbyData_walksThePromotionPath() {
        Views holding = bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-1", 2, 1);
        Promote promote = new Promote(1, List.of("demo-2", "demo-3"));

        assertThat(policy.decide(holding.local(stopped(DataState.STANDBY)).build(), NOW)).isEqualTo(new Decision(
                new StartAsStandby(null), "starting my standby so that I can promote it"));
        assertThat(policy.decide(holding.local(runningNotAccepting(DataState.STANDBY)).build(), NOW)).isEqualTo(
                new Decision(new NoAction(), "no action: waiting for my standby to accept connections before I promote it"));
        assertThat(policy.decide(holding.local(standbyRunning(null, false)).build(), NOW).action()).isEqualTo(promote);
        assertThat(policy.decide(holding.local(primaryInRecovery()).build(), NOW).action()).isEqualTo(promote);
    }

    /**
     * Regression: a lease holder whose fence names another writer never serves: a running server is
     * stopped at once, a stopped one gives the lease up.
     */
    @Test
    void decide_writerWhileFenceNamesAnother_demotesRunningServerAndReleasesStoppedOne() {
        Views fencedByDemo2 = bootstrappedAs("demo-1").lease("demo-1", true).fence("demo-2", 5, 3);

        Decision running = policy.decide(fencedByDemo2.local(configuredPrimary()).build(), NOW);
        Decision stoppedPrimary = policy.decide(fencedByDemo2.local(stopped(DataState.PRIMARY)).build(), NOW);

        assertThat(running.action()).isEqualTo(new Demote());
        assertThat(running.reason()).contains("fencing record names demo-2 as writer of epoch 5");
        assertThat(stoppedPrimary.action()).isEqualTo(new ReleaseLease());
        assertThat(stoppedPrimary.reason()).contains("fencing record names demo-2 as writer of epoch 5");
    }

    /** A lease holder with no fencing record writes one before anything else. */
    @Test
    void decide_writerWithoutFence_writesTheFenceFirst() {
        Views noFence = bootstrappedAs("demo-1").lease("demo-1", true);

        Decision decision = policy.decide(noFence.local(stopped(DataState.PRIMARY)).build(), NOW);

        assertThat(decision.action()).isEqualTo(new WriteFence(new Fence("demo-1", 1, -1), -1));
    }
}
