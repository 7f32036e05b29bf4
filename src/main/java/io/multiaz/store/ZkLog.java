package io.multiaz.store;

import org.apache.zookeeper.data.Stat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Append-only lists of JSON records kept as persistent sequential children of one parent znode (a
 * cluster's events and history), in the order of the sequence numbers ZooKeeper assigned: appends
 * from several sessions interleave in the order ZooKeeper applied them. Thread-safe; it holds no
 * state of its own, so several stores may append to and trim one list at once.
 */
final class ZkLog {
    /** ZooKeeper appends the sequence number as exactly this many digits. */
    private static final int SEQUENCE_DIGITS = 10;

    private final ZkNodes nodes;

    ZkLog(ZkNodes nodes) {
        this.nodes = nodes;
    }

    /** Appends {@code value} as a new child at {@code pathPrefix} (parent path plus name prefix). */
    void append(String pathPrefix, Object value) {
        nodes.createSequential(pathPrefix, value);
    }

    /** The newest {@code limit} records under {@code parent}, oldest first; one deleted while reading is skipped. */
    <T> List<T> newest(String parent, Class<T> type, int limit) {
        List<String> names = sortedChildren(parent);
        List<T> records = new ArrayList<>();
        for (String name : names.subList(Math.max(0, names.size() - limit), names.size())) {
            nodes.get(parent + "/" + name, type).ifPresent(stored -> records.add(stored.value()));
        }
        return records;
    }

    /**
     * Deletes the children of {@code parent} older than the newest {@code keep}, but only once more
     * than {@code keep + slack} have accumulated, so the listing this needs runs about once per
     * {@code slack} appends rather than on every one. Costs one stat when there is nothing to do.
     * Sessions trimming at once delete the same nodes; the loser's deletes are no-ops.
     */
    void trim(String parent, int keep, int slack) {
        int count = nodes.stat(parent).map(Stat::getNumChildren).orElse(0);
        if (count <= keep + slack) {
            return;
        }
        List<String> names = sortedChildren(parent);
        for (String name : names.subList(0, Math.max(0, names.size() - keep))) {
            nodes.delete(parent + "/" + name, -1);
        }
    }

    private List<String> sortedChildren(String parent) {
        return nodes.children(parent).stream()
                .filter(ZkLog::isSequential)
                .sorted(Comparator.comparing(ZkLog::sequence))
                .toList();
    }

    /** True for names ending in a sequence number; anything else under the parent is not ours. */
    private static boolean isSequential(String name) {
        return name.length() > SEQUENCE_DIGITS && sequence(name).chars().allMatch(Character::isDigit);
    }

    /** The fixed-width sequence suffix, which sorts as text in numeric order (a protected-mode prefix precedes it). */
    private static String sequence(String name) {
        return name.substring(name.length() - SEQUENCE_DIGITS);
    }
}
