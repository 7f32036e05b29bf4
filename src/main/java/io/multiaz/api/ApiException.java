package io.multiaz.api;

import java.util.Objects;

/**
 * The one exception the API layer throws for a request it answers with an error: an
 * {@link RdsFault} (code, HTTP status, sender or receiver) and a message for the caller. The
 * message follows AWS's wording where AWS has one and says what to do next.
 */
public final class ApiException extends RuntimeException {
    private final RdsFault fault;

    public ApiException(RdsFault fault, String message) {
        super(message);
        this.fault = Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(message, "message");
    }

    public RdsFault fault() {
        return fault;
    }

    /** The wire code, e.g. {@code SignatureDoesNotMatch}. */
    public String code() {
        return fault.code();
    }

    public int httpStatus() {
        return fault.httpStatus();
    }

    @Override
    public String toString() {
        return fault.code() + " (" + fault.httpStatus() + "): " + getMessage();
    }
}
