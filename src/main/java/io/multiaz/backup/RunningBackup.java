package io.multiaz.backup;

import java.util.OptionalDouble;

/**
 * A backup or expire of the stanza running now on this host (pgBackRest holds the stanza's backup
 * lock).
 *
 * @param percentComplete how much of the files the backup has copied, 0 to 100; empty while it has
 *                        not started copying (it waits for the checkpoint and for the standby to
 *                        replay to it first, seconds on a small cluster) and for an expire
 */
public record RunningBackup(OptionalDouble percentComplete) {
    public RunningBackup {
        if (percentComplete.isPresent() && (percentComplete.getAsDouble() < 0 || percentComplete.getAsDouble() > 100)) {
            throw new IllegalArgumentException("a percentage is between 0 and 100, got " + percentComplete);
        }
    }

    /** The whole percent copied (rounded down), 0 until copying starts: RDS's {@code PercentProgress}. */
    public int percentProgress() {
        return (int) Math.floor(percentComplete.orElse(0));
    }
}
