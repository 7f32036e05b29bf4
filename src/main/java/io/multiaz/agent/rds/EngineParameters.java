package io.multiaz.agent.rds;

import io.multiaz.api.ApiException;
import io.multiaz.api.RdsFault;
import io.multiaz.engine.EngineException;
import io.multiaz.model.EngineParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The installed server's parameters, described on the first request that needs them and then kept
 * (they change only with the binaries, which an agent restart picks up). Until a description works,
 * each request tries again and is answered {@code InternalFailure}. Thread-safe: concurrent first
 * requests may each describe, and all then see the first description stored.
 */
final class EngineParameters {
    private static final Logger LOG = LoggerFactory.getLogger(EngineParameters.class);

    private final Supplier<List<EngineParameter>> describe;
    private final AtomicReference<List<EngineParameter>> described = new AtomicReference<>();

    EngineParameters(Supplier<List<EngineParameter>> describe) {
        this.describe = describe;
    }

    List<EngineParameter> get() {
        List<EngineParameter> known = described.get();
        if (known != null) {
            return known;
        }
        try {
            described.compareAndSet(null, describe.get());
            return described.get();
        } catch (EngineException e) {
            LOG.warn("cannot describe the PostgreSQL parameters ({}); parameter group calls fail until it works",
                    e.getMessage());
            throw new ApiException(RdsFault.INTERNAL_FAILURE, "This agent cannot list the PostgreSQL parameters ("
                    + e.getMessage() + "); fix the binaries named, or ask another agent.");
        }
    }
}
