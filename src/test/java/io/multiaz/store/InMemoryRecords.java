package io.multiaz.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * An in-memory {@link Records} that behaves like {@link ZkRecords}, for unit tests: names are
 * checked as path segments, a name is taken by the first create, a change returning null or an
 * equal record writes nothing, and one that throws leaves the record. Every operation runs under
 * one lock (so {@code change} runs once, never concurrently). Thread-safe.
 */
public final class InMemoryRecords<T> implements Records<T> {
    private final Map<String, T> records = new TreeMap<>();

    @Override
    public synchronized boolean create(String name, T record) {
        Objects.requireNonNull(record, "record");
        return records.putIfAbsent(checked(name), record) == null;
    }

    @Override
    public synchronized Optional<T> get(String name) {
        return Optional.ofNullable(records.get(checked(name)));
    }

    @Override
    public synchronized List<T> list() {
        return List.copyOf(records.values());
    }

    @Override
    public synchronized Page<T> list(String after, int limit) {
        Records.checkLimit(limit);
        List<T> page = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, T> e : records.entrySet()) {
            if (after != null && e.getKey().compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                return new Page<>(page, last);
            }
            page.add(e.getValue());
            last = e.getKey();
        }
        return new Page<>(page, null);
    }

    @Override
    public synchronized Optional<T> update(String name, UnaryOperator<T> change) {
        Objects.requireNonNull(change, "change");
        T before = records.get(checked(name));
        if (before == null) {
            return Optional.empty();
        }
        T after = change.apply(before);
        if (after == null || after.equals(before)) {
            return Optional.of(before);
        }
        records.put(name, after);
        return Optional.of(after);
    }

    @Override
    public synchronized boolean delete(String name) {
        return records.remove(checked(name)) != null;
    }

    /** Removes every record (what deleting a cluster does to the records stored under it). */
    synchronized void clear() {
        records.clear();
    }

    /** As {@link StorePaths}: a name is one non-empty path segment. */
    private static String checked(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name '" + name + "' cannot be used in the store: it must be"
                    + " non-empty and contain no '/'");
        }
        return name;
    }
}
