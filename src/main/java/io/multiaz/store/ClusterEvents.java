package io.multiaz.store;

import io.multiaz.model.ClusterEvent;

import java.util.List;

/**
 * The clusters' event logs: what the HA loop, the operations API and the RDS API append, and what
 * {@code DescribeEvents} and {@code multiaz events} read. Appending wakes no watcher. Every method
 * may throw {@link StoreException}. Thread-safe; several agents append to one log at once.
 */
public interface ClusterEvents {
    /** Events kept per cluster unless an implementation is built to keep another number. */
    int DEFAULT_EVENTS_KEPT = 1_000;

    /** Appends an event; the store keeps the newest {@value #DEFAULT_EVENTS_KEPT} per cluster (see the implementation). */
    void appendEvent(String cluster, ClusterEvent event);

    /** The newest {@code limit} (at least 0) of the kept events, oldest first. */
    List<ClusterEvent> events(String cluster, int limit);
}
