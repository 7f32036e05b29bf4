package io.multiaz.cli;

import io.multiaz.fuzz.FuzzReport;
import io.multiaz.fuzz.Fuzzer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeded fuzzer (issue 21) against a running deployment: signed calls of every action the RDS
 * API serves, built from the AWS CLI's service model and mutated; no 5xx, only declared or common
 * codes, no store change after a refusal, nothing logged as an error or exception by the agents.
 * A bounded run for CI; bench/fuzz runs the long one. Ports 28900-28929.
 */
final class RdsFuzzIT {
    static final long SEED = 20261203L;
    static final int CASES = 1500;

    private static FuzzDeployment deployment;

    @BeforeAll
    static void up() throws Exception {
        deployment = FuzzDeployment.create();
        deployment.up(28900);
    }

    @AfterAll
    static void destroy() {
        if (deployment != null) {
            deployment.close();
        }
    }

    @Test
    void fuzz_everyServedAction_noServerErrorsNoStateChangesOnRefusal() throws Exception {
        FuzzReport report = deployment.fuzzRds(SEED, CASES, Duration.ofSeconds(100), Fuzzer.Dumps.EVERY_CASE,
                System.out);

        System.out.println(report.table());
        assertThat(report.violations()).as(report.table()).isEmpty();
        assertThat(report.cases()).as("cases run within the time limit").isGreaterThanOrEqualTo(CASES / 2);
    }
}
