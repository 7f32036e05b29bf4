package io.multiaz.backup;

/** A backup tool call that failed; the message has the tool's own words and what to do next. */
public final class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
