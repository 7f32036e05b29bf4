package io.multiaz.backup;

/** pgBackRest's backup types: everything, what changed since the last full, what changed since the last backup. */
public enum BackupType {
    FULL, DIFF, INCR
}
