package io.multiaz.store;

import io.multiaz.model.ClusterSpec;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The life of clusters in the store, as the RDS API and the agents' reconcilers drive it: the specs
 * (created once, changed by compare-and-set), deleting a cluster with everything stored under it,
 * the cluster slots, and a watch on the set of clusters. What the HA loop reads of a spec it reads
 * through {@link ClusterStore#read}. Every method may throw {@link StoreException}.
 *
 * <p>Thread safety: implementations are safe for use from several threads and several agents.
 */
public interface Clusters {
    /** Names of all clusters with a spec, sorted. */
    List<String> names();

    /** Stores the spec of a new cluster; false when a cluster of that name exists (nothing written). */
    boolean create(ClusterSpec spec);

    /**
     * Replaces the spec of {@code cluster} with {@code change} applied to it, by compare-and-set;
     * empty when there is no such cluster. {@code change} may run more than once; returning null or
     * an equal spec writes nothing (the current spec is returned). Anything it throws propagates and
     * leaves the spec as it was; a spec of another name is refused with an {@link IllegalArgumentException}.
     */
    Optional<ClusterSpec> update(String cluster, UnaryOperator<ClusterSpec> change);

    /**
     * Removes everything of {@code cluster}: spec, HA records, events, history, tags, and then its
     * slot. Idempotent.
     */
    void delete(String cluster);

    /**
     * The slot (1 to {@code DbClusterSettings.MAX_SLOTS - 1}) held for {@code cluster}: the one it
     * already holds, else the lowest free one, claimed now; empty when every slot is taken.
     */
    OptionalInt claimSlot(String cluster);

    /**
     * Calls {@code listener} (on a store thread; it must only signal, never block) whenever a cluster
     * is created or deleted. Close the handle to stop.
     */
    AutoCloseable watch(Runnable listener);
}
