package io.multiaz.model;

import java.util.Objects;

/**
 * One PostgreSQL server parameter as {@code postgres --describe-config} describes it.
 *
 * @param context      when it can change: {@code postmaster} (restart), {@code sighup}, {@code superuser},
 *                     {@code user}, {@code internal} (never), …
 * @param type         {@code BOOLEAN}, {@code INTEGER}, {@code REAL}, {@code STRING} or {@code ENUM}
 * @param min          the lower bound of an INTEGER or REAL, empty otherwise
 * @param max          the upper bound of an INTEGER or REAL, empty otherwise
 * @param description  the short description, followed by the extra one when there is one
 * @param enumValues   the values an ENUM takes, empty when unknown or not an ENUM
 */
public record EngineParameter(String name, String context, String category, String type, String defaultValue,
                              String min, String max, String description, java.util.List<String> enumValues) {
    public EngineParameter {
        enumValues = enumValues == null ? java.util.List.of() : java.util.List.copyOf(enumValues);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(type, "type");
        defaultValue = defaultValue == null ? "" : defaultValue;
        min = min == null ? "" : min;
        max = max == null ? "" : max;
        description = description == null ? "" : description;
    }

    /** This parameter with {@code values} as its enum values. */
    public EngineParameter withEnumValues(java.util.List<String> values) {
        return new EngineParameter(name, context, category, type, defaultValue, min, max, description, values);
    }

    /** Whether changing it needs a server restart (context {@code postmaster}). */
    public boolean isStatic() {
        return context.equals("postmaster");
    }
}
