package io.multiaz.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a cluster, kept in the store for {@code multiaz events}: a role change,
 * failover, switchover, rejoin, or a refusal to promote, with the instance it concerns and why.
 *
 * @param instance the instance it concerns, or null for the cluster as a whole
 * @param type     its kind, stored as the kind's name (e.g. {@code promotion-refused})
 */
public record ClusterEvent(Instant at, String instance, EventType type, String message) {
    public ClusterEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
