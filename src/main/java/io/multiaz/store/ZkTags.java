package io.multiaz.store;

import org.apache.zookeeper.CreateMode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Resource tags kept as one JSON znode per resource ({@code {"tags": {key: value, …}}}, keys in the
 * order they were first added), changed by compare-and-set so two concurrent changes never lose
 * one another's keys. Thread-safe; it holds no state of its own.
 */
final class ZkTags {
    private static final int ATTEMPTS = ZkNodes.CAS_ATTEMPTS;

    /** The znode's content. */
    record TagsRecord(Map<String, String> tags) {
    }

    private final ZkNodes nodes;

    ZkTags(ZkNodes nodes) {
        this.nodes = nodes;
    }

    /** The tags at {@code path}; empty when none were ever set. */
    Map<String, String> get(String path) {
        return nodes.get(path, TagsRecord.class).map(s -> frozen(s.value().tags())).orElse(Map.of());
    }

    /** Stores {@code change} applied to the current tags, retrying when another writer got in between. */
    Map<String, String> update(String path, UnaryOperator<Map<String, String>> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<ZkNodes.Stored<TagsRecord>> cur = nodes.get(path, TagsRecord.class);
            Map<String, String> before = cur.map(s -> frozen(s.value().tags())).orElse(Map.of());
            Map<String, String> after = frozen(change.apply(before));
            if (after.equals(before)) {
                return before;
            }
            boolean written = cur.isEmpty()
                    ? nodes.create(path, new TagsRecord(after), CreateMode.PERSISTENT)
                    : nodes.set(path, new TagsRecord(after), cur.get().stat().getVersion());
            if (written) {
                return after;
            }
            ZkNodes.backOff(attempt);
        }
        throw new StoreException("the tags at " + path + " kept changing under " + ATTEMPTS + " updates; try again");
    }

    private static Map<String, String> frozen(Map<String, String> tags) {
        return tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
