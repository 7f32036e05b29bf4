package io.multiaz.backup;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A pgBackRest call that failed, or a backup request that cannot be carried out. The message names
 * the call, quotes pgBackRest's own error line (with its hints) and ends with what to do next; it
 * never holds the repository passphrase or S3 secret.
 */
public final class BackupException extends RuntimeException {
    /** What went wrong, for callers that react to one case (the message is for people). */
    public enum Reason {
        /** pgBackRest ran and reported an error ({@link #errorCode()} says which). */
        FAILED,
        /** pgBackRest ran past its timeout and was killed with its children. */
        TIMED_OUT,
        /** pgBackRest could not be started, or the waiting thread was interrupted. */
        NOT_RUN,
        /** pgBackRest answered something this wrapper cannot read (a JSON shape of another version). */
        UNREADABLE_OUTPUT,
        /** The request cannot be met by the repository (e.g. a time before every backup); nothing ran. */
        REFUSED,
        /** A file of the repository's configuration could not be read or written. */
        CONFIGURATION
    }

    private final Reason reason;
    private final int errorCode;

    public BackupException(Reason reason, String message) {
        this(reason, 0, message, null);
    }

    public BackupException(Reason reason, String message, Throwable cause) {
        this(reason, 0, message, cause);
    }

    /**
     * @param errorCode pgBackRest's error number ({@code ERROR: [082]} is 82), 0 when there is none
     */
    public BackupException(Reason reason, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        if (errorCode < 0) {
            throw new IllegalArgumentException("a pgBackRest error code is never negative, got " + errorCode);
        }
        this.errorCode = errorCode;
    }

    public Reason reason() {
        return reason;
    }

    /** pgBackRest's error number (e.g. 50: a lock is held, 82: WAL did not reach the archive), when it gave one. */
    public OptionalInt errorCode() {
        return errorCode == 0 ? OptionalInt.empty() : OptionalInt.of(errorCode);
    }
}
