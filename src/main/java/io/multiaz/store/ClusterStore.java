package io.multiaz.store;

import io.multiaz.model.ClusterSnapshot;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Fence;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;

import java.util.List;
import java.util.Optional;

/**
 * The coordination store: cluster specs, the create-once bootstrap record, the writer lease, the
 * fencing record and the members' published states. Every method may throw {@link StoreException}
 * when the store cannot be reached or answers unexpectedly; callers handle that one type.
 *
 * <p>Thread safety: implementations are safe for use from several threads.
 */
public interface ClusterStore extends AutoCloseable {
    /** Events kept per cluster unless an implementation is built to keep another number. */
    int DEFAULT_EVENTS_KEPT = 1_000;

    /** True while the coordination session is connected (not suspended, not lost). */
    boolean isConnected();

    /** Names of all clusters with a spec in the store. */
    List<String> clusters();

    /** Writes {@code spec} unless a spec of that name exists; returns the spec that is stored afterwards. */
    ClusterSpec putSpecIfAbsent(ClusterSpec spec);

    /** One consistent-enough read of everything the HA loop needs about {@code cluster}. */
    ClusterSnapshot read(String cluster);

    /** Stores the spec of a new cluster; false when a cluster of that name exists (nothing written). */
    boolean createCluster(ClusterSpec spec);

    /**
     * Replaces the spec of {@code cluster} with {@code change} applied to it, by compare-and-set;
     * empty when there is no such cluster. {@code change} may run more than once; returning null or
     * an equal spec writes nothing (the current spec is returned). Anything it throws propagates and
     * leaves the spec as it was.
     */
    Optional<ClusterSpec> updateSpec(String cluster, java.util.function.UnaryOperator<ClusterSpec> change);

    /** Removes everything of {@code cluster}: spec, records, events, history, tags, and its slot. */
    void deleteCluster(String cluster);

    /**
     * The slot (1 to {@code DbClusterSettings.MAX_SLOTS - 1}) held for {@code cluster}: the one it
     * already holds, else the lowest free one, claimed now; empty when every slot is taken.
     */
    java.util.OptionalInt claimSlot(String cluster);

    /** Calls {@code listener} (on a store thread) whenever a cluster is created or deleted. */
    AutoCloseable watchClusters(Runnable listener);


    /**
     * Creates the bootstrap record naming {@code member} unless one exists.
     *
     * @return true when {@code member} now owns the bootstrap
     */
    boolean claimBootstrap(String cluster, String member);

    /** Marks the bootstrap owned by {@code member} complete; fails if another member owns it. */
    void completeBootstrap(String cluster, String member, String systemId);

    /**
     * Takes the writer lease for {@code member}, bound to this store's session: it disappears when
     * the session ends. A lease naming {@code member} left by an earlier session is taken over.
     *
     * @return true when this session now holds the lease
     */
    boolean acquireLease(String cluster, String member);

    /**
     * Whether this session holds the writer lease of {@code cluster} in {@code member}'s name right
     * now: one read, for the writer's watchdog, which confirms this every 100 ms.
     */
    boolean holdsLease(String cluster, String member);

    /** Gives up the lease if this session holds it; no-op otherwise. */
    void releaseLease(String cluster, String member);

    /**
     * Writes the fence record {@code next} if the stored one still has {@code expectedVersion}
     * (-1: none must exist).
     *
     * @return true when written; false when someone else changed it first
     */
    boolean writeFence(String cluster, Fence next, int expectedVersion);

    /**
     * Calls {@code listener} after any change to {@code cluster}'s records (spec, bootstrap, lease,
     * fence, members, request, paused), so a loop can decide at once instead of at its next tick.
     * Appending events or history does not call it, so a loop is not woken by its own appends. The
     * listener runs on the store's event thread: it must only signal, never block. Close the handle to stop.
     */
    AutoCloseable watch(String cluster, java.util.function.Consumer<Change> listener);

    /** What kind of record a {@link #watch} notification is about. */
    enum Change {
        /** A member's published state. */
        MEMBER,
        /** Anything else the HA loop decides on: spec, bootstrap, lease, fence, request, pause. */
        COORDINATION
    }

    /**
     * Stores {@code request} unless one is pending.
     *
     * @return false when another request is pending (nothing written)
     */
    boolean putRequest(String cluster, OperatorRequest request);

    /**
     * Replaces the pending request with {@code change} applied to it, atomically (compare-and-set,
     * retried when another writer got in between): the old writer records where it stopped, the
     * endpoint owner that the writer endpoint holds, and neither loses the other's field.
     *
     * @param change the new request from the current one, or null to leave it as it is
     * @return false when no request is pending or {@code change} returned null
     */
    boolean updateRequest(String cluster, java.util.function.UnaryOperator<OperatorRequest> change);

    /** Removes the pending request, if any. */
    void clearRequest(String cluster);

    /** Suspends ({@code true}) or resumes automatic HA actions of {@code cluster}. */
    void setPaused(String cluster, boolean paused);

    /** Appends an event; the store keeps the newest {@value #DEFAULT_EVENTS_KEPT} per cluster (see the implementation). */
    void appendEvent(String cluster, ClusterEvent event);

    /** The newest {@code limit} (at least 0) of the kept events, oldest first. */
    List<ClusterEvent> events(String cluster, int limit);

    /** Appends a change of writer to the cluster's history (kept whole). */
    void appendHistory(String cluster, HistoryEntry entry);

    /** Every change of writer, oldest first. */
    List<HistoryEntry> history(String cluster);

    /**
     * The tags of {@code resource} of {@code cluster} ({@code "cluster"} for the cluster itself,
     * {@code "db:<instance>"} for an instance), keys in the order first added; empty when none.
     */
    java.util.Map<String, String> tags(String cluster, String resource);

    /**
     * Replaces the tags of {@code resource} with {@code change} applied to them, atomically
     * (compare-and-set, retried when another writer got in between), and returns the tags stored
     * afterwards. An exception thrown by {@code change} leaves the tags as they were and propagates.
     * Changing tags wakes no {@link #watch} listener: they are not something the HA loop decides on.
     */
    java.util.Map<String, String> updateTags(String cluster, String resource,
                                             java.util.function.UnaryOperator<java.util.Map<String, String>> change);

    /**
     * Stores {@code group} unless a group of that name exists.
     *
     * @return false when the name is taken (nothing written)
     */
    boolean createSubnetGroup(io.multiaz.model.SubnetGroup group);

    /** The subnet group {@code name}, if stored. */
    Optional<io.multiaz.model.SubnetGroup> subnetGroup(String name);

    /** Every stored subnet group, by name. */
    List<io.multiaz.model.SubnetGroup> subnetGroups();

    /**
     * Deletes the subnet group {@code name}.
     *
     * @return false when there was none
     */
    boolean deleteSubnetGroup(String name);

    /**
     * Stores {@code group} unless a DB cluster parameter group of that name exists.
     *
     * @return false when the name is taken (nothing written)
     */
    boolean createParameterGroup(io.multiaz.model.ParameterGroup group);

    /** The DB cluster parameter group {@code name}, if stored. */
    Optional<io.multiaz.model.ParameterGroup> parameterGroup(String name);

    /** Every stored DB cluster parameter group, by name. */
    List<io.multiaz.model.ParameterGroup> parameterGroups();

    /**
     * Replaces the parameter group {@code name} with {@code change} applied to it, atomically
     * (compare-and-set, retried when another writer got in between). An exception thrown by
     * {@code change} leaves the group as it was and propagates.
     *
     * @return the group stored afterwards; empty when there is no group {@code name}
     */
    Optional<io.multiaz.model.ParameterGroup> updateParameterGroup(String name,
            java.util.function.UnaryOperator<io.multiaz.model.ParameterGroup> change);

    /**
     * Deletes the DB cluster parameter group {@code name}.
     *
     * @return false when there was none
     */
    boolean deleteParameterGroup(String name);

    /**
     * Stores {@code snapshot} unless a DB cluster snapshot of that identifier exists.
     *
     * @return false when the identifier is taken (nothing written)
     */
    boolean createClusterSnapshot(io.multiaz.model.DbClusterSnapshot snapshot);

    /** The DB cluster snapshot {@code identifier}, if stored. */
    Optional<io.multiaz.model.DbClusterSnapshot> clusterSnapshot(String identifier);

    /** Every stored DB cluster snapshot, by identifier. */
    List<io.multiaz.model.DbClusterSnapshot> clusterSnapshots();

    /**
     * Replaces the snapshot {@code identifier} with {@code change} applied to it, atomically
     * (compare-and-set, retried when another writer got in between). An exception thrown by
     * {@code change} leaves it as it was and propagates.
     *
     * @return the snapshot stored afterwards; empty when there is none
     */
    Optional<io.multiaz.model.DbClusterSnapshot> updateClusterSnapshot(String identifier,
            java.util.function.UnaryOperator<io.multiaz.model.DbClusterSnapshot> change);

    /**
     * Deletes the record of DB cluster snapshot {@code identifier} (not its files).
     *
     * @return false when there was none
     */
    boolean deleteClusterSnapshot(String identifier);

    /** Publishes {@code state} as this session's ephemeral member record (creates or replaces it). */
    void publishMember(String cluster, MemberState state);

    /** Removes this session's member record of {@code member}, if any. */
    void removeMember(String cluster, String member);

    /** Ends this store's use of the session (the caller owns the Curator client): ephemeral records it created vanish. Idempotent. */
    @Override
    void close();

    /** Bootstrap record, if any. Convenience over {@link #read}. */
    default Optional<Bootstrap> bootstrap(String cluster) {
        return read(cluster).bootstrap();
    }

    /** Stored fence, if any. Convenience over {@link #read}. */
    default Optional<Fence> fence(String cluster) {
        return read(cluster).fence();
    }
}
