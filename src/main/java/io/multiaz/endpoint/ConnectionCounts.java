package io.multiaz.endpoint;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Accepted and refused connections per endpoint name, kept for the data path's lifetime (an endpoint
 * removed and routed again continues its counts).
 *
 * <p>Thread safety: every method may be called from any thread; a snapshot is not atomic across
 * endpoints.
 */
final class ConnectionCounts {
    private record Count(LongAdder accepted, LongAdder refused) {
        Count() {
            this(new LongAdder(), new LongAdder());
        }
    }

    private final ConcurrentMap<String, Count> byEndpoint = new ConcurrentHashMap<>();

    /** Makes {@code endpoint} appear in snapshots, with zero counts if it has none yet. */
    void register(String endpoint) {
        count(endpoint);
    }

    void accepted(String endpoint) {
        count(endpoint).accepted().increment();
    }

    void refused(String endpoint) {
        count(endpoint).refused().increment();
    }

    /** The counts now, by endpoint name in name order. */
    Map<String, DataPath.EndpointCounters> snapshot() {
        Map<String, DataPath.EndpointCounters> result = new TreeMap<>();
        byEndpoint.forEach((endpoint, count) -> result.put(endpoint,
                new DataPath.EndpointCounters(count.accepted().sum(), count.refused().sum())));
        return Collections.unmodifiableMap(result);
    }

    private Count count(String endpoint) {
        return byEndpoint.computeIfAbsent(endpoint, e -> new Count());
    }
}
