package io.multiaz.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The tags of a cluster's resources: one record per resource ({@code "cluster"} for the cluster
 * itself, {@code "db:<instance>"} for an instance) in the cluster's own {@link Records}, keys in the
 * order they were first added. A resource never tagged has no record and reads as no tags; its first
 * change creates one. The records live with their cluster, so deleting the cluster deletes them.
 * Changing tags wakes no {@link ClusterStore#watch} listener: the HA loop does not decide on them.
 *
 * <p>Thread-safe; concurrent changes of one resource's tags never lose one another's keys.
 */
public final class Tags {
    private static final int ATTEMPTS = 50;

    /** One resource's record, stored as {@code {"tags": {key: value, …}}}. */
    public record TagSet(Map<String, String> tags) {
        public TagSet {
            tags = frozen(tags);
        }
    }

    private final Function<String, Records<TagSet>> ofCluster;

    /** Tags kept in the records {@code ofCluster} gives for each cluster name. */
    public Tags(Function<String, Records<TagSet>> ofCluster) {
        this.ofCluster = Objects.requireNonNull(ofCluster, "ofCluster");
    }

    /** The tags of {@code resource} of {@code cluster}; empty when it has none. */
    public Map<String, String> get(String cluster, String resource) {
        return ofCluster.apply(cluster).get(resource).map(TagSet::tags).orElse(Map.of());
    }

    /**
     * Replaces the tags of {@code resource} of {@code cluster} with {@code change} applied to them
     * (null counts as no tags), by compare-and-set, so {@code change} may run more than once. Anything
     * it throws propagates and leaves the tags as they were.
     *
     * @return the tags stored afterwards
     */
    public Map<String, String> update(String cluster, String resource, UnaryOperator<Map<String, String>> change) {
        Objects.requireNonNull(change, "change");
        Records<TagSet> records = ofCluster.apply(cluster);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<TagSet> current = records.get(resource);
            if (current.isEmpty()) {
                Map<String, String> after = frozen(change.apply(Map.of()));
                if (after.isEmpty() || records.create(resource, new TagSet(after))) {
                    return after;
                }
                continue; // another writer created it first: change theirs
            }
            Optional<TagSet> after = records.update(resource, t -> new TagSet(change.apply(t.tags())));
            if (after.isPresent()) {
                return after.get().tags();
            }
            // deleted with its cluster meanwhile: start again from none
        }
        throw new StoreException("the tags of " + resource + " of cluster " + cluster + " kept changing under "
                + ATTEMPTS + " updates; try again");
    }

    private static Map<String, String> frozen(Map<String, String> tags) {
        return tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
