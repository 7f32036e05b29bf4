package io.multiaz.model;

/** What the instance's data directory holds. */
public enum DataState {
    /** No data directory (or an empty one). */
    EMPTY,
    /** A data directory configured as a standby (standby.signal present). */
    STANDBY,
    /** A data directory that starts as a primary (no standby.signal). */
    PRIMARY
}
