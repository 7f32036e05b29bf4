package io.multiaz.engine;

/** How to start a server: as the writer (read-write) or as a standby that follows an upstream. */
public enum ServerRole {
    PRIMARY, STANDBY
}
