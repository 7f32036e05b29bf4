package io.multiaz.store;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Fence;
import io.multiaz.model.Lease;
import io.multiaz.model.MemberState;

import java.util.Map;
import java.util.Optional;

/** One read of a cluster's records in the store, immutable. Members are keyed by instance name. */
public record ClusterSnapshot(Optional<ClusterSpec> spec, Optional<Bootstrap> bootstrap, Optional<Lease> lease,
                              Optional<Fence> fence, Map<String, MemberState> members) {
    public ClusterSnapshot {
        members = Map.copyOf(members);
    }
}
