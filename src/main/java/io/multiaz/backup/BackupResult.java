package io.multiaz.backup;

import java.time.Duration;
import java.util.Objects;

/**
 * A backup that completed.
 *
 * @param set     the new set as the repository describes it
 * @param elapsed how long the pgbackrest backup command ran
 */
public record BackupResult(BackupSet set, Duration elapsed) {
    public BackupResult {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The new set's label. */
    public String label() {
        return set.label();
    }
}
