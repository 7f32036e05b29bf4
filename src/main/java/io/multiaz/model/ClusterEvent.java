package io.multiaz.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a cluster, kept in the store for {@code multiaz events}: a role change,
 * failover, switchover, rejoin, or a refusal to promote, with the instance it concerns and why.
 *
 * @param type short kebab-case kind, e.g. {@code promoted}, {@code demoted}, {@code rejoined},
 *             {@code promotion-refused}, {@code switchover-requested}
 */
public record ClusterEvent(Instant at, String instance, String type, String message) {
    public ClusterEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
