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
 * @param storeConnected the coordination session is connected; when false the store fields are the last known
 * @param members        published member records, keyed by instance name (mine included when published)
 * @param rewindFailed   my last attempt to rewind this data directory failed (so re-clone it)
 * @param observingSince when this agent began observing the cluster (its start)
 * @param request        the pending operator request (switchover, failover), if any
 * @param paused         automatic actions are suspended
 */
public record ClusterView(String me, ClusterSpec spec, LocalServer local, boolean storeConnected,
                          Optional<Bootstrap> bootstrap, Optional<Lease> lease, Optional<Fence> fence,
                          Map<String, MemberState> members, boolean rewindFailed,
                          Instant observingSince, Optional<OperatorRequest> request, boolean paused) {
    public ClusterView {
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(local, "local");
        members = Map.copyOf(members);
        Objects.requireNonNull(observingSince, "observingSince");
        Objects.requireNonNull(request, "request");
        if (spec.instance(me).isEmpty()) {
            throw new IllegalArgumentException(me + " is not an instance of cluster " + spec.name());
        }
    }

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
        return new ClusterView(me, spec, observed, storeConnected, bootstrap, lease, fence, members, rewindFailed,
                observingSince, request, paused);
    }
}
