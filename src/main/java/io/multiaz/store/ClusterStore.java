package io.multiaz.store;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The HA coordination store of one agent's session: per cluster, one read of everything the HA
 * loop decides on ({@link #read}: spec, bootstrap, lease, fence, members, pending request, pause)
 * and a watch on it; the create-once bootstrap record, the session-bound writer lease, the fencing
 * record, the members' published states, the operator's request and pause, the writer history, and
 * (as {@link ClusterEvents}) the event log. Creating, changing and deleting clusters is
 * {@link Clusters}'; the RDS resources are {@link RdsRecords}'. Every method may throw
 * {@link StoreException} when the store cannot be reached or answers unexpectedly; callers handle
 * that one type.
 *
 * <p>Thread safety: implementations are safe for use from several threads.
 */
public interface ClusterStore extends ClusterEvents, AutoCloseable {
    /** True while the coordination session is connected (not suspended, not lost). */
    boolean isConnected();

    /** One consistent-enough read of everything the HA loop needs about {@code cluster}. */
    ClusterSnapshot read(String cluster);

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
     * Appending events or history does not call it, so a loop is not woken by its own appends, and
     * neither does changing the cluster's tags ({@link Tags}). The
     * listener runs on the store's event thread: it must only signal, never block. Close the handle to stop.
     */
    AutoCloseable watch(String cluster, Consumer<Change> listener);

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
    boolean updateRequest(String cluster, UnaryOperator<OperatorRequest> change);

    /** Removes the pending request, if any. */
    void clearRequest(String cluster);

    /** Suspends ({@code true}) or resumes automatic HA actions of {@code cluster}. */
    void setPaused(String cluster, boolean paused);

    /** Appends a change of writer to the cluster's history (kept whole). */
    void appendHistory(String cluster, HistoryEntry entry);

    /** Every change of writer, oldest first. */
    List<HistoryEntry> history(String cluster);

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
