package io.multiaz.backup;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** pgBackRest's error lines, as 2.45 prints them at log level warn and info. */
final class PgBackRestErrorsTest {
    @Test
    void find_warnLevelOutput_readsTheErrorAndItsHints() {
        String output = """
                WARN: some warning first
                ERROR: [082]: WAL segment 000000010000000000000001 was not archived before the 60000ms timeout
                       HINT: check the archive_command to ensure that all options are correct (especially --stanza).
                       HINT: check the PostgreSQL server log for errors.
                after it
                """;

        PgBackRestErrors.Report report = PgBackRestErrors.find(output).orElseThrow();

        assertThat(report.code()).isEqualTo(82);
        assertThat(report.text()).isEqualTo("[082]: WAL segment 000000010000000000000001 was not archived before the"
                + " 60000ms timeout | HINT: check the archive_command to ensure that all options are correct"
                + " (especially --stanza). | HINT: check the PostgreSQL server log for errors.");
    }

    @Test
    void find_infoLevelOutput_readsTheErrorAfterTheTimestamp() {
        String output = """
                2026-12-03 13:26:00.281 P00   INFO: execute non-exclusive backup start
                2026-12-03 13:26:00.695 P00  ERROR: [056]: unable to find standby cluster - cannot proceed
                2026-12-03 13:26:00.700 P00   INFO: backup command end: aborted with exception [056]
                """;

        PgBackRestErrors.Report report = PgBackRestErrors.find(output).orElseThrow();

        assertThat(report.code()).isEqualTo(56);
        assertThat(report.text()).isEqualTo("[056]: unable to find standby cluster - cannot proceed");
    }

    @Test
    void find_noErrorLine_findsNothing() {
        assertThat(PgBackRestErrors.find("WARN: stop file already exists for stanza demo\n")).isEmpty();
    }

    @Test
    void printable_garbageFromAWrongPassphrase_becomesOneMarkPerRun() {
        assertThat(PgBackRestErrors.printable("line 1: \uFFFD\uFFFD\u0001\uFFFDabc\ndone"))
                .isEqualTo("line 1: ?abc | done");
        assertThat(PgBackRestErrors.printable("x".repeat(2000))).hasSize(601).endsWith("…");
    }

    @Test
    void advice_knownCodes_sayWhatToDo() {
        assertThat(PgBackRestErrors.advice(50)).contains("wait for it to end");
        assertThat(PgBackRestErrors.advice(56)).contains("pg_hba", "pg_ident");
        assertThat(PgBackRestErrors.advice(29)).contains("passphrase");
        assertThat(PgBackRestErrors.advice(75)).contains("pgbackrest info");
        assertThat(PgBackRestErrors.advice(28)).contains("belongs to another cluster");
        assertThat(PgBackRestErrors.advice(999)).contains("pgBackRest's log files");
    }
}
