package io.multiaz.model;

import java.util.Objects;

/** The member a standby streams WAL from, or clones from. */
public record Upstream(String name, String host, int port) {
    public Upstream {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
    }
}
