package io.multiaz.api;

import io.multiaz.store.StoreException;

import java.util.function.Supplier;

/**
 * The one place a store failure becomes an RDS answer: {@code ServiceUnavailable}, saying to retry
 * or use another agent. {@link RdsActions#answer} maps whatever its handlers and backend let through;
 * a backend that must answer before going on uses {@link #stored}. Stateless.
 */
public final class StoreCalls {
    private StoreCalls() {
    }

    /** {@code call}'s answer, a store failure thrown as ServiceUnavailable. */
    public static <T> T stored(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw unavailable(e);
        }
    }

    /** The ServiceUnavailable answer to {@code e}. */
    public static ApiException unavailable(StoreException e) {
        return new ApiException(RdsFault.SERVICE_UNAVAILABLE, "The coordination store did not answer ("
                + e.getMessage() + "); retry, or use another agent's API URL.");
    }
}
