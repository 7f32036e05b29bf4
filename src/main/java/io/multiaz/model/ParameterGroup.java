package io.multiaz.model;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A DB cluster parameter group as {@code CreateDBClusterParameterGroup} recorded it and
 * {@code ModifyDBClusterParameterGroup} changed it: its (lower-case) name, family
 * ({@code postgres15}), description and the parameters set in it, by name.
 */
public record ParameterGroup(String name, String family, String description, Map<String, Setting> parameters,
                             Instant createdAt) {
    public ParameterGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(description, "description");
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(parameters));
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** This group with {@code parameters} instead of its own. */
    public ParameterGroup withParameters(Map<String, Setting> parameters) {
        return new ParameterGroup(name, family, description, parameters, createdAt);
    }

    /** When a change is applied to the servers: as RDS's {@code ApplyMethod}. */
    public enum ApplyMethod {
        IMMEDIATE("immediate"), PENDING_REBOOT("pending-reboot");

        private final String wire;

        ApplyMethod(String wire) {
            this.wire = wire;
        }

        /** RDS's spelling, {@code immediate} or {@code pending-reboot}. */
        public String wire() {
            return wire;
        }
    }

    /** One parameter's value in a group and how it is to be applied. */
    public record Setting(String value, ApplyMethod applyMethod) {
        public Setting {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(applyMethod, "applyMethod");
        }
    }
}
