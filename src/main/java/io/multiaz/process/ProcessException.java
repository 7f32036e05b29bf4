package io.multiaz.process;

import java.util.Objects;

/**
 * A program that could not be started, did not finish in time, was interrupted, or (from
 * {@link ProcessResult#requireSuccess()}) exited non-zero. The message names the command, says
 * what happened (with the timeout and the program's last output lines where there are some) and
 * ends with the command's next step; it never holds the values of the command's environment or
 * its input.
 */
public final class ProcessException extends RuntimeException {
    /** What went wrong, for callers that react to one case (the message is for people). */
    public enum Failure {
        /** The program could not be started (missing, not executable, bad working directory). */
        NOT_STARTED,
        /** It ran past its timeout; it and its descendants were killed. */
        TIMED_OUT,
        /** The waiting thread was interrupted; the program and its descendants were killed. */
        INTERRUPTED,
        /** It exited with a status other than 0. */
        EXIT_STATUS
    }

    private final Failure failure;

    ProcessException(Failure failure, String message) {
        super(message);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    ProcessException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public Failure failure() {
        return failure;
    }
}
