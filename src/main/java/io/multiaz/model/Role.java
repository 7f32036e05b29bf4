package io.multiaz.model;

/** What an instance is to its cluster, as the store and the user see it. */
public enum Role {
    WRITER, READER, UNKNOWN;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
