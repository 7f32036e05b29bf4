package io.multiaz.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of writer, for {@code multiaz history}: the new epoch and timeline, who became writer
 * and who was before, the WAL position at the switch, when, and why.
 */
public record HistoryEntry(long epoch, long timeline, String writer, String previousWriter, Lsn lsn, Instant at,
                           String reason) {
    public HistoryEntry {
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
