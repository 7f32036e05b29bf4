package io.multiaz.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Instants as tables show them: ISO-8601 UTC to the millisecond. */
final class Times {
    private Times() {
    }

    static String millis(String iso) {
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.MILLIS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
