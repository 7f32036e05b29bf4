package io.multiaz.ha;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Fence;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Lease;
import io.multiaz.model.LocalServer;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Upstream;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one HA cycle knows, observed once and never re-read mid-decision: the local server,
 * and the store's records of the cluster as this agent's session saw them.
 *
 * @param me             the instance this decision is for
 * @param spec           the cluster's spec: this cycle's, or the last known when the store was not read or the
 *                       cluster's record is gone
 * @param listed         I am an instance of the cluster as the store has it: false once I was removed from
 *                       the spec or the cluster was deleted (then {@code spec} may not name me)
 * @param store          how the store's records below were obtained
 * @param members        published member records, keyed by instance name (mine included when published)
 * @param rewindFailed   my last attempt to rewind this data directory failed (so re-clone it)
 * @param observingSince when this agent began observing the cluster (its start)
 * @param request        the pending operator request (switchover, failover), if any
 * @param paused         automatic actions are suspended
 */
public record ClusterView(String me, ClusterSpec spec, boolean listed, LocalServer local, StoreState store,
                          Optional<Bootstrap> bootstrap, Optional<Lease> lease, Optional<Fence> fence,
                          Map<String, MemberState> members, boolean rewindFailed,
                          Instant observingSince, Optional<OperatorRequest> request, boolean paused) {

    /** How this cycle's store records were obtained, which says how far they can be trusted. */
    public enum StoreState {
        /** The session is connected and the records were read this cycle. */
        READ,
        /**
         * The session is suspended (its client is reconnecting; it has not expired), so nothing was
         * read: the records are the last known, and my lease, if I held one, may still be mine.
         */
        SUSPENDED,
        /** The session stayed connected but the read failed: the records are the last known. */
        READ_FAILED,
        /**
         * The session expired, or dropped during this cycle's read: the records are the last known,
         * and another member may take the writer lease at any moment.
         */
        LOST
    }

    public ClusterView {
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(store, "store");
        members = Map.copyOf(members);
        Objects.requireNonNull(observingSince, "observingSince");
        Objects.requireNonNull(request, "request");
        if (listed && spec.instance(me).isEmpty()) {
            throw new IllegalArgumentException(me + " is not an instance of cluster " + spec.name());
        }
    }

    /**
     * Whether what is decided on this view is published and carried out: not while the session is
     * suspended or the read failed (the next cycle decides on fresh records), nor once I am no longer
     * listed (publishing would bring my record back). On such a view {@link HaPolicy#decide} always
     * does nothing.
     */
    public boolean publishable() {
        return listed && (store == StoreState.READ || store == StoreState.LOST);
    }

    /** My instance in the spec; only for a {@link #listed} view. */
    public InstanceSpec myInstance() {
        return spec.instance(me).orElseThrow();
    }

    /** True when the lease exists and my own session holds it. */
    public boolean iHoldLease() {
        return lease.map(Lease::mine).orElse(false);
    }

    /** The lease holder other than me, if someone else holds it. */
    public Optional<String> otherLeaseHolder() {
        return lease.map(Lease::holder).filter(h -> !h.equals(me));
    }

    /** Where to reach {@code member}'s server, from the spec. */
    public Optional<Upstream> upstreamOf(String member) {
        return spec.instance(member).map(i -> new Upstream(i.name(), i.host(), i.port()));
    }

    /** This view with {@code observed} as my server (after an action changed it). */
    public ClusterView withLocal(LocalServer observed) {
        return new ClusterView(me, spec, listed, observed, store, bootstrap, lease, fence, members, rewindFailed,
                observingSince, request, paused);
    }
}
