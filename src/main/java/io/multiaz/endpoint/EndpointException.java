package io.multiaz.endpoint;

/** An endpoint data path could not be set up or changed; the message says what to do. */
public final class EndpointException extends RuntimeException {
    public EndpointException(String message) {
        super(message);
    }

    public EndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
