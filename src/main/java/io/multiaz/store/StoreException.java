package io.multiaz.store;

/**
 * Any failure to read or write the coordination store: connection loss, timeout, or an
 * unexpected answer. The one store error type; the agent treats it as "the store is unavailable
 * this cycle" and decides accordingly.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
