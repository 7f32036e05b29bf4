package io.multiaz.ha;

import io.multiaz.ha.Action.NoAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static io.multiaz.ha.Views.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link HaPolicy} decision keeps, checked on every row of the rule tables (session,
 * bootstrap, writer, free lease, follower): the reason is one readable sentence that says "no
 * action" exactly when nothing is done and "refusing" exactly when the decision is a refusal; an
 * unpublishable view does nothing; the same view gives the same decision, at any time after the
 * startup grace. Each rule test checks its own rows' exact action and reason.
 */
final class HaPolicyTest {

    private final HaPolicy policy = new HaPolicy();

    /** Every row of the rule tables: (named view at NOW) -> exact action and a fragment of the reason. */
    static Stream<Arguments> table() {
        return Stream.of(SessionRuleTest.rows(), BootstrapRuleTest.rows(), FollowerRuleTest.rows(),
                WriterRuleTest.rows(), FreeLeaseRuleTest.rows()).flatMap(rows -> rows);
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
}
