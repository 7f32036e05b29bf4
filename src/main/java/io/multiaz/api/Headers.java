package io.multiaz.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP request headers as received: names compared case-insensitively, each name with every value
 * it was sent with, in order. Immutable.
 */
public final class Headers {
    private static final Headers EMPTY = new Headers(Map.of());

    private final Map<String, List<String>> byLowerName;

    private Headers(Map<String, List<String>> byLowerName) {
        this.byLowerName = byLowerName;
    }

    public static Headers empty() {
        return EMPTY;
    }

    /** Copies {@code headers}; names differing only in case are merged, values kept in order. */
    public static Headers of(Map<String, ? extends List<String>> headers) {
        Builder builder = builder();
        headers.forEach((name, values) -> values.forEach(value -> builder.add(name, value)));
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first value sent for {@code name}, if any. */
    public Optional<String> first(String name) {
        List<String> values = byLowerName.get(lower(name));
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value sent for {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        return byLowerName.getOrDefault(lower(name), List.of());
    }

    public boolean contains(String name) {
        return byLowerName.containsKey(lower(name));
    }

    /** Lower-case names mapped to their values. */
    public Map<String, List<String>> asMap() {
        return byLowerName;
    }

    @Override
    public String toString() {
        return byLowerName.keySet().toString();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Collects headers; not thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder add(String name, String value) {
            if (name == null || name.isEmpty() || value == null) {
                throw new IllegalArgumentException("a header needs a name and a value, got " + name + "=" + value);
            }
            values.computeIfAbsent(lower(name), n -> new ArrayList<>()).add(value);
            return this;
        }

        public Headers build() {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
            return new Headers(Collections.unmodifiableMap(copy));
        }
    }
}
