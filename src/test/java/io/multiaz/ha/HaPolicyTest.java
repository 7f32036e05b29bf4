package io.multiaz.ha;

import io.multiaz.ha.Action.AcquireLease;
import io.multiaz.ha.Action.ClaimBootstrap;
import io.multiaz.ha.Action.CloneFrom;
import io.multiaz.ha.Action.CompleteBootstrap;
import io.multiaz.ha.Action.ConfigureWriter;
import io.multiaz.ha.Action.Demote;
import io.multiaz.ha.Action.Detach;
import io.multiaz.ha.Action.Follow;
import io.multiaz.ha.Action.InitDb;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.Action.Promote;
import io.multiaz.ha.Action.ReleaseLease;
import io.multiaz.ha.Action.StartAsStandby;
import io.multiaz.ha.Action.StartAsWriter;
import io.multiaz.ha.Action.WriteFence;
import io.multiaz.ha.ClusterView.StoreState;
import io.multiaz.model.DataState;
import io.multiaz.model.Fence;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Stream;

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
import static io.multiaz.ha.Views.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class HaPolicyTest {

    private final HaPolicy policy = new HaPolicy();

    // ---------------------------------------------------------------------------------------------
    // The table: (named view at NOW) -> exact action and a fragment of the reason.
    // ---------------------------------------------------------------------------------------------

    static Stream<Arguments> table() {
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
                        new NoAction(), "the coordination session is suspended"),

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
                        "completing the bootstrap: creating roles and 2 replication slots"),

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
                        new WriteFence(new Fence("demo-1", 1, -1), -1), "the fencing record is missing"),

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
                        new NoAction(), "no action: refusing to promote: standby demo-2 is unreachable"),

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

    private static Arguments row(String name, Views view, Action expected, String reasonFragment) {
        return Arguments.of(name, view.build(), expected, reasonFragment);
    }

    private static ConfigureWriter configureDemo1() {
        return new ConfigureWriter(1, List.of("demo-2", "demo-3"), List.of("demo_2", "demo_3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide_table(String name, ClusterView view, Action expected, String reasonFragment) {
        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).as(name).isEqualTo(expected);
        assertThat(decision.reason()).as(name).contains(reasonFragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide_everyReason_isOneReadableSentence(String name, ClusterView view, Action expected, String fragment) {
        String reason = policy.decide(view, NOW).reason();

        assertThat(reason).as(name)
                .isNotBlank()
                .isEqualTo(reason.strip())
                .doesNotContain("  ")
                .doesNotContain("null")
                .doesNotContain("\n")
                .matches("[A-Za-z].*[a-z0-9)]");
        assertThat(reason.split(" ")).as(name).hasSizeGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide_reasonSaysNoActionExactlyWhenNothingIsDone(String name, ClusterView view, Action expected,
                                                          String fragment) {
        Decision decision = policy.decide(view, NOW);

        assertThat(decision.reason().startsWith("no action: ")).as(name)
                .isEqualTo(decision.action() instanceof NoAction);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide_reasonSaysRefusingExactlyWhenTheDecisionIsARefusal(String name, ClusterView view, Action expected,
                                                                    String fragment) {
        Decision decision = policy.decide(view, NOW);

        assertThat(decision.refusal().isPresent()).as(name).isEqualTo(decision.reason().contains("refusing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide_viewNotPublishable_doesNothing(String name, ClusterView view, Action expected, String fragment) {
        if (!view.publishable()) {
            assertThat(policy.decide(view, NOW).action()).as(name).isEqualTo(new NoAction());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide_sameViewTwice_sameDecision(String name, ClusterView view, Action expected, String fragment) {
        assertThat(policy.decide(view, NOW)).as(name).isEqualTo(policy.decide(view, NOW));
        assertThat(new HaPolicy().decide(view, NOW)).as(name).isEqualTo(policy.decide(view, NOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide_afterTheStartupGrace_doesNotDependOnNow(String name, ClusterView view, Action expected,
                                                        String fragment) {
        Decision atNow = policy.decide(view, NOW);

        // time only matters during the startup grace; the fixtures started observing an hour before NOW
        Instant graceOver = view.observingSince().plus(HaPolicy.DEFAULT_STARTUP_GRACE);
        for (Instant other : List.of(graceOver, NOW.minus(Duration.ofMinutes(30)), NOW.plusMillis(1),
                NOW.plus(Duration.ofDays(3650)), Instant.MAX)) {
            assertThat(policy.decide(view, other)).as(name + " at " + other).isEqualTo(atNow);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Focused tests: payloads and wording the table only samples.
    // ---------------------------------------------------------------------------------------------

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
    void decide_otherStandbyUnpublished_refusesPromotion() {
        ClusterView view = bootstrappedAs("demo-1").local(standbyRunning(null, false)).build();

        assertThat(policy.decide(view, NOW).refusal()).contains(Refusal.PROMOTION);
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

    /** Regression: the last writer with standby data used to be told to follow itself. */
    @Test
    void decide_lastWriterWithStandbyData_startsAsStandbyWithoutUpstream() {
        ClusterView view = bootstrappedAs("demo-1").fence("demo-1", 2, 1).local(stopped(DataState.STANDBY)).build();

        Decision decision = policy.decide(view, NOW);

        assertThat(decision.action()).isEqualTo(new StartAsStandby(null));
        assertThat(decision.reason()).doesNotContain("of last writer demo-1");
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
