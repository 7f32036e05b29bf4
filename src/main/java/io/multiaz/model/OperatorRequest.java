package io.multiaz.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A pending operator request for a change of writer, stored once per cluster until it is done or
 * abandoned.
 *
 * @param kind        {@link Kind#SWITCHOVER}: the writer hands over gracefully; {@link Kind#FAILOVER}:
 *                    as switchover when the writer is up, else promote without it
 * @param from        the writer when requested (null if none)
 * @param to          the instance to promote, or null to let the rule pick the best standby
 * @param force       failover only: promote even when a standby that may hold acknowledged commits is
 *                    unreachable (the operator accepts losing them)
 * @param writerStoppedAt  set by the old writer after its clean stop: the end of its WAL, which the
 *                    target must have received before it promotes (null until then)
 * @param endpointsHeldAt set by the agent owning the endpoints once the writer endpoint holds new
 *                    connections, so the writer stops only when none can reach it any more (null until then)
 */
public record OperatorRequest(Kind kind, String from, String to, boolean force, Instant requestedAt,
                              Lsn writerStoppedAt, Instant endpointsHeldAt) {
    public enum Kind {
        SWITCHOVER, FAILOVER;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    public OperatorRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (force && kind != Kind.FAILOVER) {
            throw new IllegalArgumentException("--force is for failover only");
        }
    }

    public OperatorRequest(Kind kind, String from, String to, boolean force, Instant requestedAt,
                           Lsn writerStoppedAt) {
        this(kind, from, to, force, requestedAt, writerStoppedAt, null);
    }

    public OperatorRequest withWriterStoppedAt(Lsn lsn) {
        return new OperatorRequest(kind, from, to, force, requestedAt, lsn, endpointsHeldAt);
    }

    public OperatorRequest withEndpointsHeldAt(Instant at) {
        return new OperatorRequest(kind, from, to, force, requestedAt, writerStoppedAt, at);
    }

    /** Whether {@code other} is this same request (by kind and when it was made), whatever was recorded since. */
    public boolean sameRequest(OperatorRequest other) {
        return other != null && kind == other.kind && requestedAt.equals(other.requestedAt);
    }
}
