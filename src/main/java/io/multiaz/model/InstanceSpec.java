package io.multiaz.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One DB instance of a cluster: its name, the availability zone (agent) it is placed on, and the
 * address its PostgreSQL server listens on.
 */
public record InstanceSpec(String name, String az, String host, int port) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public InstanceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(az, "az");
        Objects.requireNonNull(host, "host");
        if (!NAME.matcher(name).matches() || name.endsWith("-") || name.contains("--")) {
            throw new IllegalArgumentException("instance name '" + name
                    + "' must start with a letter and contain only lowercase letters, digits and single hyphens");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + name + " must be 1-65535, got " + port);
        }
    }

    /** The physical replication slot name for this instance (slot names allow [a-z0-9_]). */
    public String slotName() {
        return name.replace('-', '_');
    }
}
