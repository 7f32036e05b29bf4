package io.multiaz.ha;

import io.multiaz.ha.Action.AcquireLease;
import io.multiaz.ha.Action.ClearRequest;
import io.multiaz.ha.Action.NoAction;
import io.multiaz.ha.Action.StepDown;
import io.multiaz.model.DataState;
import io.multiaz.model.Lsn;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.OperatorRequest.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static io.multiaz.ha.Views.NOW;
import static io.multiaz.ha.Views.bootstrappedAs;
import static io.multiaz.ha.Views.configuredPrimary;
import static io.multiaz.ha.Views.standbyRunning;
import static io.multiaz.ha.Views.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator requests in {@link HaPolicy}: the switchover handover (writer steps down, target takes
 * over once it has the writer's WAL, others wait), failover with --to and --force, expiry, pause.
 * demo-1 is the writer of epoch 1 unless a row says otherwise.
 */
final class RequestRuleTest {
    private final HaPolicy policy = new HaPolicy();

    private static OperatorRequest switchover(String to, Lsn stoppedAt) {
        return new OperatorRequest(Kind.SWITCHOVER, "demo-1", to, false, NOW.minusSeconds(1), stoppedAt);
    }

    private static Views writerDemo1() {
        return bootstrappedAs("demo-1").fence("demo-1", 1, 0).lease("demo-1", true).local(configuredPrimary());
    }

    private static Views standbyStreamingFrom(String name, String upstream) {
        return Views.as(name).bootstrap("demo-1", true).fence("demo-1", 1, 0);
    }

    private static Arguments row(String name, Views view, Action expected, String fragment) {
        return Arguments.of(name, view, expected, fragment);
    }

    static Stream<Arguments> rows() {
        OperatorRequest stopped = switchover("demo-2", Lsn.parse("0/3000000"));
        return Stream.of(
                row("writer, switchover to a streaming standby: step down",
                        writerDemo1().request(switchover("demo-2", null)).streamingStandby("demo-2", "demo-1"),
                        new StepDown(new OperatorRequest(Kind.SWITCHOVER, "demo-1", "demo-2", false,
                                NOW.minusSeconds(1), null)), "handing over to demo-2"),
                row("writer, switchover to nobody in particular: the streaming one",
                        writerDemo1().request(switchover(null, null)).streamingStandby("demo-3", "demo-1"),
                        new StepDown(new OperatorRequest(Kind.SWITCHOVER, "demo-1", "demo-3", false,
                                NOW.minusSeconds(1), null)), "handing over to demo-3"),
                row("writer, switchover just requested, endpoints not holding yet: wait",
                        writerDemo1().request(new OperatorRequest(Kind.SWITCHOVER, "demo-1", "demo-2", false,
                                NOW.minusMillis(200), null)).streamingStandby("demo-2", "demo-1"),
                        new NoAction(), "once the writer endpoint holds new connections"),
                row("writer, switchover just requested, endpoints hold: step down at once",
                        writerDemo1().request(new OperatorRequest(Kind.SWITCHOVER, "demo-1", "demo-2", false,
                                NOW.minusMillis(200), null, NOW.minusMillis(100))).streamingStandby("demo-2", "demo-1"),
                        new StepDown(new OperatorRequest(Kind.SWITCHOVER, "demo-1", "demo-2", false,
                                NOW.minusMillis(200), null, NOW.minusMillis(100))), "handing over to demo-2"),
                row("writer, target does not stream from me: refuse",
                        writerDemo1().request(switchover("demo-2", null)),
                        new ClearRequest("refused: demo-2 does not stream from me"), "refusing the switchover"),
                row("new writer, request from the old one: done",
                        bootstrappedAs("demo-2").fence("demo-2", 2, 1).lease("demo-2", true)
                                .local(Views.primaryRunning("ANY 1 (\"demo-1\", \"demo-3\")",
                                        java.util.Set.of("demo_1", "demo_3")))
                                .request(stopped),
                        new ClearRequest("done: demo-2 is the writer"), "I am the writer now"),
                row("new writer, old writer not following yet: wait before ending",
                        bootstrappedAs("demo-2").fence("demo-2", 2, 1).lease("demo-2", true)
                                .local(Views.primaryRunning("ANY 1 (\"demo-1\", \"demo-3\")",
                                        java.util.Set.of("demo_1", "demo_3")))
                                .member("demo-1", io.multiaz.model.Role.UNKNOWN, io.multiaz.model.ServerState.STOPPED)
                                .request(stopped),
                        new NoAction(), "waiting for demo-1 to stream from me"),
                row("old writer after the target took the lease: follow without rewind",
                        bootstrappedAs("demo-1").fence("demo-2", 2, 1).lease("demo-2", false).runningWriter("demo-2")
                                .local(stopped(DataState.PRIMARY)).request(stopped),
                        new Action.StartAsStandby(Views.upstream("demo-2")), "without a rewind"),
                row("old writer stepped down, lease free: wait for the target",
                        bootstrappedAs("demo-1").fence("demo-1", 1, 0).local(stopped(DataState.PRIMARY))
                                .request(stopped),
                        new NoAction(), "handing over to demo-2"),
                row("target has the writer's WAL: take the lease",
                        standbyStreamingFrom("demo-2", "demo-1").local(standbyRunning("demo-1", true)).request(stopped),
                        new AcquireLease(), "received its WAL past its shutdown checkpoint at 0/3000000"),
                row("target lacks the writer's WAL: wait",
                        standbyStreamingFrom("demo-2", "demo-1").local(standbyRunning("demo-1", true))
                                .request(switchover("demo-2", Lsn.parse("0/9000000"))),
                        new NoAction(), "waiting to receive demo-1's WAL"),
                row("other standby during the handover: wait, no failover",
                        standbyStreamingFrom("demo-3", "demo-1").local(standbyRunning("demo-1", true)).request(stopped),
                        new NoAction(), "switchover from demo-1 to demo-2 is under way"),
                row("request older than 30 s: abandon",
                        writerDemo1().request(new OperatorRequest(Kind.SWITCHOVER, "demo-1", "demo-2", false,
                                NOW.minus(Duration.ofSeconds(31)), null)),
                        new ClearRequest("abandoned: not done within 30 s"), "abandoning the switchover"),
                row("forced failover to me with the other standby unreachable: take the lease",
                        standbyStreamingFrom("demo-2", null).local(standbyRunning(null, false))
                                .request(new OperatorRequest(Kind.FAILOVER, null, "demo-2", true, NOW, null)),
                        new AcquireLease(), "forced a failover to me"),
                row("failover to another standby: not me",
                        standbyStreamingFrom("demo-3", null).local(standbyRunning(null, false))
                                .detachedStandby("demo-2", "0/3000000")
                                .request(new OperatorRequest(Kind.FAILOVER, null, "demo-2", false, NOW, null)),
                        new NoAction(), "the operator asked for demo-2"),
                row("unforced failover to me while the other is ahead: refuse",
                        standbyStreamingFrom("demo-2", null).local(standbyRunning(null, false))
                                .detachedStandby("demo-3", "0/9000000")
                                .request(new OperatorRequest(Kind.FAILOVER, null, "demo-2", false, NOW, null)),
                        new NoAction(), "force it with multiaz failover --force"),
                row("paused: nothing at all, even with the lease free",
                        standbyStreamingFrom("demo-2", null).paused().local(standbyRunning("demo-1", true)),
                        new NoAction(), "the cluster is paused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decide_requestRow_expectedActionAndReason(String name, Views view, Action expected, String fragment) {
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
