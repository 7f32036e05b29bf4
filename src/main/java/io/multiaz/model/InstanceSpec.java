package io.multiaz.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One DB instance of a cluster: its name, the availability zone (agent) it is placed on, and the
 * address its PostgreSQL server listens on.
 *
 * @param instanceClass the RDS instance class it was created with (sizes its server,
 *                      {@code InstanceClasses}); null: the cluster's class, or the default
 * @param ordinal       its number in the cluster, which picks its instance endpoint address; null
 *                      (specs written by {@code multiaz up}): its position in the cluster
 */
public record InstanceSpec(String name, String az, String host, int port, String instanceClass, Integer ordinal) {
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
        if (ordinal != null && (ordinal < 0 || ordinal > 12)) {
            throw new IllegalArgumentException("ordinal of " + name + " must be 0-12, got " + ordinal);
        }
    }

    public InstanceSpec(String name, String az, String host, int port) {
        this(name, az, host, port, null, null);
    }

    /** The physical replication slot name for this instance (slot names allow [a-z0-9_]). */
    public String slotName() {
        return name.replace('-', '_');
    }
}
