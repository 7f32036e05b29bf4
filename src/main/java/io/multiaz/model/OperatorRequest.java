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
 */
public record OperatorRequest(Kind kind, String from, String to, boolean force, Instant requestedAt,
                              Lsn writerStoppedAt) {
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

    public OperatorRequest withWriterStoppedAt(Lsn lsn) {
        return new OperatorRequest(kind, from, to, force, requestedAt, lsn);
    }
}
