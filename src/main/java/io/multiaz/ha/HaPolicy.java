package io.multiaz.ha;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.DataState;
import io.multiaz.model.Fence;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.LocalServer;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import io.multiaz.model.SyncStandbys;
import io.multiaz.model.Upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The HA decision: from one observed {@link ClusterView} and the time, the one action to take
 * this cycle and why. Pure: no I/O, no clock reads, no state between calls, so every branch is
 * a table row in a unit test.
 *
 * <p>First come the views the cycle cannot act on: the session is suspended or the read failed
 * (wait for fresh records), I was removed from the spec (wait to be stopped), or the session is lost
 * (stop a server that may take writes). Then the cycle walks the life of an instance in order: the
 * cluster is not bootstrapped → it is being bootstrapped (by me or someone else) → my data directory
 * is empty (clone) → I hold the writer lease (serve writes) → I do not (follow the lease holder).
 */
public final class HaPolicy {
    /**
     * The {@link #HaPolicy(Duration) startup grace} of a policy built without one (tests and tools). The
     * agents pass three of their session timeouts instead: 4.5 s at the default {@code sessionTimeout} of
     * 1.5 s (docs/HA.md, "Choosing the session timeout").
     */
    public static final Duration DEFAULT_STARTUP_GRACE = Duration.ofSeconds(6);

    private final Duration startupGrace;

    /** A policy with the {@link #DEFAULT_STARTUP_GRACE}. */
    public HaPolicy() {
        this(DEFAULT_STARTUP_GRACE);
    }

    /**
     * @param startupGrace how long after its agent starts a standby gives an absent last writer to come
     *                     back (all agents start together after 'down'), before it starts a failover
     */
    public HaPolicy(Duration startupGrace) {
        this.startupGrace = startupGrace;
    }

    /** Decides the action for {@code view.me()} at {@code now}. Thread-safe. */
    public Decision decide(ClusterView view, Instant now) {
        Optional<Decision> gap = observationGap(view);
        if (gap.isPresent()) {
            return gap.get();
        }
        Optional<Bootstrap> bootstrap = view.bootstrap();
        if (bootstrap.isEmpty()) {
            return unbootstrapped(view);
        }
        if (!bootstrap.get().complete()) {
            return bootstrapping(view, bootstrap.get());
        }
        if (view.local().data() == DataState.EMPTY) {
            return emptyDataDirectory(view);
        }
        if (view.paused()) {
            return Decision.none("the cluster is paused: I take no automatic action until multiaz resume");
        }
        Optional<OperatorRequest> request = view.request();
        if (request.isPresent() && RequestRule.expired(request.get(), now)) {
            return Decision.of(new Action.ClearRequest("abandoned: not done within "
                    + RequestRule.EXPIRY.toSeconds() + " s"), "abandoning the " + request.get().kind()
                    + " requested at " + request.get().requestedAt() + ": it was not done within "
                    + RequestRule.EXPIRY.toSeconds() + " s");
        }
        if (view.iHoldLease()) {
            return writer(view, now);
        }
        return withoutLease(view, now);
    }

    /**
     * What I do when this cycle could not observe the cluster as it is, or it no longer lists me;
     * empty when the records were read and list me.
     */
    private static Optional<Decision> observationGap(ClusterView view) {
        return switch (view.store()) {
            // not expired: the client is reconnecting to another peer; the watchdog stops a writer whose
            // lease cannot be confirmed in time, so nothing is decided meanwhile
            case SUSPENDED -> Optional.of(Decision.none("the coordination session is suspended; waiting for it to "
                    + "reconnect or expire"));
            case READ_FAILED -> Optional.of(Decision.none("the store did not answer this cycle"));
            case LOST -> Optional.of(view.listed() ? sessionLost(view) : removed(view));
            case READ -> view.listed() ? Optional.empty() : Optional.of(removed(view));
        };
    }

    /** The agent's reconciler stops an instance removed from the spec (or of a deleted cluster). */
    private static Decision removed(ClusterView view) {
        return Decision.none("I am no longer an instance of cluster " + view.spec().name()
                + "; waiting for my agent to stop me");
    }

    private static Decision sessionLost(ClusterView view) {
        if (servesWrites(view.local())) {
            return Decision.of(new Action.Demote(), "demoting: my coordination session is lost, so I may no "
                    + "longer hold the writer lease; stopping my server at once so it takes no writes");
        }
        return Decision.none("the coordination store is unreachable; I keep my current role until it answers");
    }

    private Decision unbootstrapped(ClusterView view) {
        if (view.local().data() == DataState.EMPTY) {
            return Decision.of(new Action.ClaimBootstrap(), "claiming the bootstrap: cluster "
                    + view.spec().name() + " has no data yet and nobody has claimed it");
        }
        return Decision.none("the store has no bootstrap record of cluster " + view.spec().name()
                + " but I have a data directory; I will not initialise over it (restore the store, or remove my data"
                + " directory to start afresh)");
    }

    private Decision bootstrapping(ClusterView view, Bootstrap bootstrap) {
        LocalServer local = view.local();
        if (!bootstrap.owner().equals(view.me())) {
            return Decision.none("waiting for " + bootstrap.owner() + " to finish bootstrapping cluster "
                    + view.spec().name());
        }
        if (local.data() == DataState.EMPTY) {
            return Decision.of(new Action.InitDb(), "initialising: I won the bootstrap of cluster " + view.spec().name());
        }
        if (local.data() == DataState.STANDBY) {
            return Decision.none("I own the unfinished bootstrap of cluster " + view.spec().name()
                    + " but my data directory is a standby's; remove it so I can initialise afresh");
        }
        if (!view.iHoldLease()) {
            Optional<String> other = view.otherLeaseHolder();
            if (other.isPresent()) {
                return Decision.none("I own the bootstrap but " + other.get() + " holds the writer lease; waiting for it to go");
            }
            return Decision.of(new Action.AcquireLease(), "taking the writer lease: I bootstrapped cluster "
                    + view.spec().name());
        }
        if (view.fence().isEmpty()) {
            return Decision.of(new Action.WriteFence(new Fence(view.me(), 1, -1), -1),
                    "recording myself as the writer of epoch 1 before I start");
        }
        if (!view.fence().get().writer().equals(view.me())) {
            return Decision.refused(Refusal.WRITER_START, "the fencing record names " + view.fence().get().writer()
                    + " as writer of a cluster I am still bootstrapping; refusing to start as writer");
        }
        if (!local.running()) {
            return Decision.of(new Action.StartAsWriter(), "starting as writer: I hold the lease of the new cluster");
        }
        if (!local.accepting() || local.inRecovery()) {
            return Decision.none("waiting for my new server to accept connections as writer");
        }
        List<InstanceSpec> standbys = view.spec().others(view.me());
        return Decision.of(new Action.CompleteBootstrap(view.spec().syncQuorum(), names(standbys), slots(standbys)),
                "completing the bootstrap: creating roles and " + standbys.size() + " replication slots");
    }

    private Decision emptyDataDirectory(ClusterView view) {
        if (view.iHoldLease()) {
            return Decision.of(new Action.ReleaseLease(), "releasing the writer lease: my data directory is empty");
        }
        Optional<String> holder = view.otherLeaseHolder();
        if (holder.isEmpty()) {
            return Decision.none("waiting for a writer to clone from: my data directory is empty and "
                    + (view.lease().isPresent() ? "the lease is my previous session's" : "nobody holds the lease"));
        }
        MemberState writer = view.members().get(holder.get());
        if (writer == null || writer.role() != Role.WRITER || writer.state() != ServerState.RUNNING) {
            return Decision.none("waiting for writer " + holder.get() + " to be running before I clone it");
        }
        Optional<Upstream> source = view.upstreamOf(holder.get());
        if (source.isEmpty()) {
            return Decision.none("the lease holder " + holder.get() + " is not an instance of cluster "
                    + view.spec().name() + "; I will not clone it");
        }
        return Decision.of(new Action.CloneFrom(source.get()), "cloning writer " + holder.get()
                + ": my data directory is empty");
    }

    private Decision writer(ClusterView view, Instant now) {
        LocalServer local = view.local();
        Optional<Fence> fence = view.fence();
        if (fence.isEmpty()) {
            long epoch = Math.max(1, local.timeline());
            return Decision.of(new Action.WriteFence(new Fence(view.me(), epoch, -1), -1),
                    "recording myself as the writer of epoch " + epoch + ": the fencing record is missing");
        }
        if (local.data() == DataState.STANDBY || local.running() && local.accepting() && local.inRecovery()) {
            return promotion(view, fence.get());
        }
        if (!fence.get().writer().equals(view.me())) {
            if (servesWrites(local)) {
                return Decision.of(new Action.Demote(), "demoting: the fencing record names " + fence.get().writer()
                        + " as writer of epoch " + fence.get().epoch() + "; stopping my server at once");
            }
            return Decision.of(new Action.ReleaseLease(), "releasing the writer lease: the fencing record names "
                    + fence.get().writer() + " as writer of epoch " + fence.get().epoch());
        }
        if (!local.running()) {
            return Decision.of(new Action.StartAsWriter(), "starting as writer: I hold the lease");
        }
        if (!local.accepting()) {
            return Decision.none("waiting for my server to accept connections as writer");
        }
        List<InstanceSpec> standbys = view.spec().others(view.me());
        String expected = SyncStandbys.ofWriter(view.spec(), view.me());
        List<String> slots = slots(standbys);
        // the writer owns every physical slot on its server (as Patroni's primary does): a slot of an
        // instance that left the cluster would hold WAL back until the disk fills
        List<String> stale = local.slots().stream().filter(slot -> !slots.contains(slot)).sorted().toList();
        if (!expected.equals(local.syncStandbyNames()) || !local.slots().containsAll(slots) || !stale.isEmpty()) {
            return Decision.of(new Action.ConfigureWriter(view.spec().syncQuorum(), names(standbys), slots),
                    "configuring replication: synchronous_standby_names should be '" + expected
                            + "' with a slot per standby" + (stale.isEmpty() ? ""
                            : " and no slot of an instance that left the cluster (dropping " + stale + ")"));
        }
        if (view.request().isPresent()) {
            return RequestRule.forWriter(view, view.request().get(), now);
        }
        return Decision.none("I am " + view.me() + ", writer holding the lease (epoch " + fence.get().epoch() + ")");
    }

    /** I hold the lease with a standby's data: fence the new epoch, then promote. */
    private Decision promotion(ClusterView view, Fence fence) {
        LocalServer local = view.local();
        if (!fence.writer().equals(view.me())) {
            Fence next = new Fence(view.me(), fence.epoch() + 1, -1);
            return Decision.of(new Action.WriteFence(next, fence.version()), "fencing epoch " + next.epoch()
                    + " before I promote: the record still names " + fence.writer() + " (epoch " + fence.epoch() + ")");
        }
        if (!local.running()) {
            return Decision.of(new Action.StartAsStandby(null), "starting my standby so that I can promote it");
        }
        if (!local.accepting()) {
            return Decision.none("waiting for my standby to accept connections before I promote it");
        }
        List<String> standbys = names(view.spec().others(view.me()));
        return Decision.of(new Action.Promote(view.spec().syncQuorum(), standbys), "promoting: I hold the writer lease and the fencing record names me "
                + "writer of epoch " + fence.epoch());
    }

    private Decision withoutLease(ClusterView view, Instant now) {
        Optional<String> holder = view.lease().map(l -> l.holder());
        if (holder.isEmpty() || holder.get().equals(view.me())) {
            return leaseFreeOrStale(view, holder.isPresent(), now);
        }
        return follower(view, holder.get());
    }

    private Decision leaseFreeOrStale(ClusterView view, boolean staleOwnLease, Instant now) {
        LocalServer local = view.local();
        Optional<Fence> fence = view.fence();
        Optional<Decision> handover = view.request().flatMap(r -> RequestRule.handover(view, r));
        if (handover.isPresent()) {
            return handover.get();
        }
        boolean lastWriter = fence.map(f -> f.writer().equals(view.me())).orElse(false);
        if (local.data() == DataState.PRIMARY && lastWriter) {
            String why = staleOwnLease
                    ? "taking over the lease my previous session left: I am the last writer (epoch "
                    : "the lease is free and I am the last writer (epoch ";
            return Decision.of(new Action.AcquireLease(), why + fence.get().epoch() + ")");
        }
        String lastName = fence.map(Fence::writer).orElse("nobody");
        if (servesWrites(local)) {
            return Decision.of(new Action.Demote(), "demoting: nobody holds the writer lease and the fencing record "
                    + "names " + lastName + "; stopping my read-write server at once");
        }
        if (local.data() == DataState.PRIMARY) {
            return Decision.none("my data directory is a former writer's and the fencing record names " + lastName
                    + "; waiting for a writer to rewind it against");
        }
        Upstream last = fence.filter(f -> !f.writer().equals(view.me()))
                .flatMap(f -> view.upstreamOf(f.writer())).orElse(null);
        if (!local.running()) {
            return Decision.of(new Action.StartAsStandby(last), "starting as standby"
                    + (last == null ? "" : " of last writer " + last.name()) + ": nobody holds the writer lease");
        }
        if (!local.accepting()) {
            return Decision.none("waiting for my standby server to accept connections");
        }
        Instant graceEnds = view.observingSince().plus(startupGrace);
        if (now.isBefore(graceEnds) && fence.isPresent()) {
            return Decision.none("giving last writer " + fence.get().writer() + " until "
                    + Duration.between(view.observingSince(), graceEnds).toSeconds() + " s after my start to take "
                    + "the lease back before I consider a failover");
        }
        return view.request().filter(r -> r.kind() == OperatorRequest.Kind.FAILOVER)
                .map(r -> new FailoverRule(view, r.force(), r.to()))
                .orElseGet(() -> new FailoverRule(view))
                .decide();
    }

    private Decision follower(ClusterView view, String holder) {
        LocalServer local = view.local();
        Upstream upstream = view.upstreamOf(holder).orElse(null);
        if (upstream == null) {
            return Decision.none("the lease holder " + holder + " is not an instance of cluster " + view.spec().name());
        }
        if (servesWrites(local)) {
            return Decision.of(new Action.Demote(), "demoting: " + holder + " holds the writer lease; stopping my "
                    + "read-write server at once");
        }
        if (local.data() == DataState.PRIMARY) {
            Optional<Decision> handedOver = view.request()
                    .flatMap(r -> RequestRule.followAfterHandover(view, r, holder));
            return handedOver.orElseGet(() -> rejoin(view, holder, upstream));
        }
        if (!local.running()) {
            return Decision.of(new Action.StartAsStandby(upstream), "starting as standby of writer " + holder);
        }
        if (!local.accepting()) {
            return Decision.none("waiting for my standby server to accept connections");
        }
        if (!holder.equals(local.upstream())) {
            return Decision.of(new Action.Follow(upstream), "following writer " + holder
                    + " (I was following " + (local.upstream() == null ? "nobody" : local.upstream()) + ")");
        }
        return Decision.none("I am " + view.me() + ", reader " + (local.streaming() ? "streaming from " : "following ")
                + holder);
    }

    /** My stopped former writer's data: rewind it against the new writer, or re-clone if that failed. */
    private Decision rejoin(ClusterView view, String holder, Upstream upstream) {
        if (view.rewindFailed()) {
            return Decision.of(new Action.Reclone(), "re-cloning: rewinding my former writer's data against " + holder
                    + " failed; my old data is kept aside until the clone succeeds");
        }
        MemberState writer = view.members().get(holder);
        if (writer == null || writer.role() != Role.WRITER || writer.state() != ServerState.RUNNING) {
            return Decision.none("waiting for writer " + holder + " to be running before I rewind against it");
        }
        return Decision.of(new Action.Rewind(upstream), "rewinding my former writer's data to follow " + holder);
    }

    /** The server may be taking writes: it runs and is (or, unobserved, would start as) a primary. */
    static boolean servesWrites(LocalServer local) {
        if (!local.running()) {
            return false;
        }
        return local.accepting() ? !local.inRecovery() : local.data() == DataState.PRIMARY;
    }

    private static List<String> names(List<InstanceSpec> instances) {
        return instances.stream().map(InstanceSpec::name).toList();
    }

    private static List<String> slots(List<InstanceSpec> instances) {
        return instances.stream().map(InstanceSpec::slotName).toList();
    }
}
