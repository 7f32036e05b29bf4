package io.multiaz.model;


import java.util.Map;
import java.util.Optional;

/**
 * One read of a cluster's records in the store, immutable. Members are keyed by instance name.
 *
 * @param request the pending operator request (switchover, failover), if any
 * @param paused  automatic actions are suspended ({@code multiaz pause})
 */
public record ClusterSnapshot(Optional<ClusterSpec> spec, Optional<Bootstrap> bootstrap, Optional<Lease> lease,
                              Optional<Fence> fence, Map<String, MemberState> members,
                              Optional<OperatorRequest> request, boolean paused) {
    public ClusterSnapshot {
        members = Map.copyOf(members);
    }

    /** A snapshot with no request and not paused. */
    public ClusterSnapshot(Optional<ClusterSpec> spec, Optional<Bootstrap> bootstrap, Optional<Lease> lease,
                           Optional<Fence> fence, Map<String, MemberState> members) {
        this(spec, bootstrap, lease, fence, members, Optional.empty(), false);
    }
}
