package io.multiaz.cli;

/**
 * A failure the user can fix: printed as one line ({@code multiaz: <message>}) with exit status 1.
 * The message says what is wrong and what to do next.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
