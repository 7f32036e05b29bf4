package io.multiaz.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading PostgreSQL's answer to {@code postgres -D <missing> -c name=value -C name} (recorded from 15). */
final class PgValueCheckTest {
    @Test
    void refusalIn_invalidValueWithDetail_messageAndDetailOnOneLine() {
        String out = """
                2026-12-03 13:15:05.852 GMT [18106] FATAL:  invalid value for parameter "DateStyle": "on"
                2026-12-03 13:15:05.852 GMT [18106] DETAIL:  Unrecognized key word: "on".
                """;

        assertThat(PgValueCheck.refusalIn(out))
                .hasValue("invalid value for parameter \"DateStyle\": \"on\" Unrecognized key word: \"on\".");
    }

    @Test
    void refusalIn_unitOfTheWrongKind_messageAndHint() {
        String out = """
                2026-12-03 13:15:05.954 GMT [18110] FATAL:  invalid value for parameter "log_min_duration_statement": "4MB"
                2026-12-03 13:15:05.954 GMT [18110] HINT:  Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".
                """;

        assertThat(PgValueCheck.refusalIn(out)).hasValueSatisfying(r -> assertThat(r)
                .startsWith("invalid value for parameter \"log_min_duration_statement\": \"4MB\" Valid units")
                .doesNotContain("HINT", "GMT"));
    }

    @Test
    void refusalIn_serverGotAsFarAsTheDataDirectory_valueTaken() {
        String out = """
                postgres: could not access directory "/nonexistent-multiaz-value-check": No such file or directory
                Run initdb or pg_basebackup to initialize a PostgreSQL data directory.
                """;

        assertThat(PgValueCheck.refusalIn(out)).isEmpty();
    }
}
