package io.multiaz.agent.ha;

import io.multiaz.agent.ha.InstanceSupervisor.Observed;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.Lease;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.Clusters;

import java.time.Clock;
import java.util.List;

/**
 * The operator's requests as the agent API takes them: checked against the cluster as last
 * observed, or as the store has it now when the request names its cluster, then written to the
 * store for the HA loops to carry out. Bad requests throw {@link Rejected} and change nothing; store
 * failures propagate as {@link io.multiaz.store.StoreException}.
 */
public final class ClusterOperations {
    private final ClusterStore store;
    private final Clusters clusters;
    private final Clock clock;

    /** A request refused before anything was written; {@code status} is the HTTP status to answer. */
    public static final class Rejected extends RuntimeException {
        public final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    public ClusterOperations(ClusterStore store, Clusters clusters, Clock clock) {
        this.store = store;
        this.clusters = clusters;
        this.clock = clock;
    }

    /**
     * The cluster {@code cluster} as the store has it now.
     *
     * @throws Rejected (404) naming the clusters that exist, when it has no spec
     */
    public ClusterSnapshot existing(String cluster) {
        ClusterSnapshot s = store.read(cluster);
        if (s.spec().isEmpty()) {
            throw new Rejected(404, "there is no cluster " + cluster + " in this deployment; clusters: "
                    + String.join(", ", clusters.names()));
        }
        return s;
    }

    /** Every cluster with a spec as the store has it now, by name; one deleted while reading is left out. */
    public List<ClusterSnapshot> all() {
        return clusters.names().stream().map(store::read).filter(s -> s.spec().isPresent()).toList();
    }

    /** Files a switchover or failover request for the cluster seen in {@code o}. */
    public OperatorRequest request(Observed o, OperatorRequest.Kind kind, String to, boolean force) {
        var view = o.view();
        java.util.Map<String, MemberState> members = new java.util.HashMap<>(view.members());
        members.put(o.published().name(), o.published());
        return request(view.spec(), view.paused(), view.lease().map(Lease::holder).orElse(null), view.request(),
                members, kind, to, force);
    }

    /** Files a switchover or failover request for the cluster as the store has it in {@code s}. */
    public OperatorRequest request(io.multiaz.model.ClusterSnapshot s, OperatorRequest.Kind kind, String to, boolean force) {
        var spec = s.spec().orElseThrow(() -> new Rejected(404, "the cluster has no spec in the store"));
        return request(spec, s.paused(), s.lease().map(Lease::holder).orElse(null), s.request(), s.members(), kind,
                to, force);
    }

    private OperatorRequest request(io.multiaz.model.ClusterSpec spec, boolean paused, String writer,
                                    java.util.Optional<OperatorRequest> pending, java.util.Map<String, MemberState> members,
                                    OperatorRequest.Kind kind, String to, boolean force) {
        String cluster = spec.name();
        if (paused) {
            throw new Rejected(409, "cluster " + cluster + " is paused, so nobody would act on a " + kind
                    + "; run multiaz resume --cluster " + cluster + " first");
        }
        if (force && kind != OperatorRequest.Kind.FAILOVER) {
            throw new Rejected(400, "--force is only for failover");
        }
        if (kind == OperatorRequest.Kind.SWITCHOVER && writer == null) {
            throw new Rejected(409, "no writer holds the lease, so there is nothing to switch over from; "
                    + "use multiaz failover");
        }
        if (to != null) {
            checkTarget(spec, members.get(to), to, writer, kind);
        }
        pending.ifPresent(r -> {
            throw new Rejected(409, "a " + r.kind() + (r.to() == null ? "" : " to " + r.to()) + " requested at "
                    + r.requestedAt() + " is under way; wait for it to finish (at most 30 s)");
        });
        OperatorRequest request = new OperatorRequest(kind, writer, to, force, clock.instant(), null);
        if (!store.putRequest(cluster, request)) {
            throw new Rejected(409, "another request was filed just now; run multiaz status and try again");
        }
        store.appendEvent(cluster, new ClusterEvent(clock.instant(), to, EventType.requested(kind),
                kind + " requested" + (writer == null ? "" : " from " + writer) + (to == null ? "" : " to " + to)
                        + (force ? " (forced)" : "")));
        return request;
    }

    private static void checkTarget(io.multiaz.model.ClusterSpec spec, MemberState m, String to, String writer,
                                    OperatorRequest.Kind kind) {
        if (spec.instance(to).isEmpty()) {
            throw new Rejected(400, to + " is not an instance of cluster " + spec.name() + "; instances: "
                    + spec.instances().stream().map(i -> i.name()).toList());
        }
        if (to.equals(writer)) {
            throw new Rejected(400, to + " is already the writer");
        }
        boolean healthy = m != null && m.role() == Role.READER && m.state() == ServerState.RUNNING;
        if (!healthy) {
            throw new Rejected(409, to + " is not a running standby (" + (m == null ? "unreachable"
                    : m.role() + " " + m.state()) + "); choose another with --to, or bring it back first");
        }
        if (kind == OperatorRequest.Kind.SWITCHOVER && !m.streaming()) {
            throw new Rejected(409, to + " is not streaming from the writer; wait until it is, or choose another");
        }
    }

    public void setPaused(String cluster, boolean paused) {
        store.setPaused(cluster, paused);
        store.appendEvent(cluster, new ClusterEvent(clock.instant(), null,
                paused ? EventType.PAUSED : EventType.RESUMED,
                paused ? "automatic actions paused by the operator" : "automatic actions resumed by the operator"));
    }

    public List<ClusterEvent> events(String cluster, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new Rejected(400, "limit must be 1-1000, got " + limit);
        }
        return store.events(cluster, limit);
    }

    public List<HistoryEntry> history(String cluster) {
        return store.history(cluster);
    }

    /** The cluster as the store has it now; empty when the store does not answer. */
    public java.util.Optional<io.multiaz.model.ClusterSnapshot> snapshot(String cluster) {
        try {
            return java.util.Optional.of(store.read(cluster));
        } catch (io.multiaz.store.StoreException e) {
            return java.util.Optional.empty();
        }
    }
}
