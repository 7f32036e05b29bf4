package io.multiaz.store;

import org.apache.zookeeper.CreateMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link Records} on ZooKeeper: one persistent JSON znode per record, at the path {@code pathOf}
 * gives its name (a child of {@code parent}, e.g. {@link StorePaths#subnetGroup}, or a znode inside
 * the child, as {@link StorePaths#spec} is); the children of {@code parent} are the names. A name
 * is taken by the first create; an update is a compare-and-set on the znode's version, retried with
 * {@link ZkNodes#backOff} when another writer got in between. A child of {@code parent} without a
 * record (a cluster's folder with no spec) is not listed. Thread-safe; it holds no state of its own.
 */
final class ZkRecords<T> implements Records<T> {
    private final ZkNodes nodes;
    private final String parent;
    private final UnaryOperator<String> pathOf;
    private final Class<T> type;
    private final String what;

    /**
     * @param pathOf the znode of the record of a name, refusing names that are not one path segment
     * @param what   the kind of record as errors name it, e.g. "DB subnet group"
     */
    ZkRecords(ZkNodes nodes, String parent, UnaryOperator<String> pathOf, Class<T> type, String what) {
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.parent = Objects.requireNonNull(parent, "parent");
        this.pathOf = Objects.requireNonNull(pathOf, "pathOf");
        this.type = Objects.requireNonNull(type, "type");
        this.what = Objects.requireNonNull(what, "what");
    }

    @Override
    public boolean create(String name, T record) {
        return nodes.create(pathOf.apply(name), Objects.requireNonNull(record, "record"), CreateMode.PERSISTENT);
    }

    @Override
    public Optional<T> get(String name) {
        return nodes.value(pathOf.apply(name), type);
    }

    @Override
    public List<T> list() {
        return nodes.listed(parent, this::get);
    }

    @Override
    public Page<T> list(String after, int limit) {
        Records.checkLimit(limit);
        List<String> names = nodes.children(parent).stream()
                .filter(name -> after == null || name.compareTo(after) > 0)
                .sorted()
                .toList();
        List<T> page = new ArrayList<>();
        int read = 0;
        while (read < names.size() && page.size() < limit) {
            get(names.get(read++)).ifPresent(page::add); // one deleted since the listing is left out
        }
        return new Page<>(page, read < names.size() ? names.get(read - 1) : null);
    }

    @Override
    public Optional<T> update(String name, UnaryOperator<T> change) {
        Objects.requireNonNull(change, "change");
        String path = pathOf.apply(name);
        for (int attempt = 0; attempt < ZkNodes.CAS_ATTEMPTS; attempt++) {
            Optional<ZkNodes.Stored<T>> cur = nodes.get(path, type);
            if (cur.isEmpty()) {
                return Optional.empty();
            }
            T before = cur.get().value();
            T after = change.apply(before);
            if (after == null || after.equals(before)) {
                return Optional.of(before);
            }
            if (nodes.set(path, after, cur.get().version())) {
                return Optional.of(after);
            }
            ZkNodes.backOff(attempt);
        }
        throw new StoreException("the " + what + " " + name + " kept changing under " + ZkNodes.CAS_ATTEMPTS
                + " updates; try again");
    }

    @Override
    public boolean delete(String name) {
        return nodes.delete(pathOf.apply(name), -1);
    }
}
