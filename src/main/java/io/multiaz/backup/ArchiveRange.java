package io.multiaz.backup;

import java.util.Objects;
import java.util.Optional;

/**
 * The WAL a stanza's repository holds for one of its databases (one PostgreSQL version and system
 * id; a stanza has one until a major upgrade).
 *
 * @param id         pgBackRest's name for it, {@code <version>-<database id>}, e.g. {@code 15-1}
 * @param databaseId the database entry it belongs to
 * @param min        the oldest segment held; empty when none was archived yet
 * @param max        the newest segment held; empty when none was archived yet
 */
public record ArchiveRange(String id, int databaseId, Optional<WalSegment> min, Optional<WalSegment> max) {
    public ArchiveRange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isPresent() != max.isPresent()) {
            throw new IllegalArgumentException("archive " + id + " has a min segment " + min + " but a max " + max);
        }
    }
}
