package io.multiaz.ha;

import org.junit.jupiter.params.provider.Arguments;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One row of an {@link HaPolicy} table: a name, the view built from a {@link Views} fixture, the
 * exact action decided at {@link Views#NOW} and a fragment of the reason. Each rule test lists its
 * own rows; {@link HaPolicyTest} checks all of them against the invariants of every decision.
 */
final class PolicyRows {
    private PolicyRows() {
    }

    static Arguments row(String name, Views view, Action expected, String reasonFragment) {
        return Arguments.of(name, view.build(), expected, reasonFragment);
    }

    /** Checks one row: {@code policy} decides exactly {@code expected} for {@code view} at {@link Views#NOW}, for a reason containing {@code reasonFragment}. */
    static void assertDecides(HaPolicy policy, String name, ClusterView view, Action expected, String reasonFragment) {
        Decision decision = policy.decide(view, Views.NOW);

        assertThat(decision.action()).as(name).isEqualTo(expected);
        assertThat(decision.reason()).as(name).contains(reasonFragment);
    }
}
