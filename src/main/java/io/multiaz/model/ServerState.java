package io.multiaz.model;

/** Life-cycle state of one instance's database server, as published by its agent. */
public enum ServerState {
    /** No data directory yet, nothing under way. */
    EMPTY,
    /** Creating a new cluster's data directory (initdb). */
    INITIALIZING,
    /** Copying the writer's data directory (pg_basebackup). */
    CLONING,
    /** Server process starting or not yet accepting connections. */
    STARTING,
    /** Server accepting connections. */
    RUNNING,
    /** Data directory present, server not running. */
    STOPPED,
    /** Nobody publishes this instance's state: its agent is down or cut off. */
    UNREACHABLE;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
