package io.multiaz.engine;

/** A database server operation failed; the message says what failed and what to do next. */
public final class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
