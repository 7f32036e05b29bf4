package io.multiaz.ha;

import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * Operator requests (switchover, failover). A switchover is a handover in three steps, each by the
 * member whose move it is: the writer stops cleanly and records where its WAL ends, then releases
 * the lease; the target takes the lease once it has received WAL past that point, fences and
 * promotes; the old writer rewinds and follows. No acknowledged commit can be lost: the writer
 * stops before the target promotes, and the target holds everything the writer wrote.
 */
final class RequestRule {
    /** A request not done within this time is abandoned (the automatic rule takes over). */
    static final Duration EXPIRY = Duration.ofSeconds(30);
    /**
     * How long the writer waits for the endpoints to hold new connections before it stops anyway
     * (no endpoint owner, or a slow one): a switchover is never blocked by the endpoints.
     */
    static final Duration ENDPOINT_HOLD_WAIT = Duration.ofSeconds(1);

    private RequestRule() {
    }

    static boolean expired(OperatorRequest r, Instant now) {
        return now.isAfter(r.requestedAt().plus(EXPIRY));
    }

    /** I am the running writer holding the lease, with {@code r} pending. */
    static Decision forWriter(ClusterView view, OperatorRequest r, java.time.Instant now) {
        if (r.from() != null && !r.from().equals(view.me())) {
            MemberState old = view.members().get(r.from());
            boolean follows = old != null && old.role() == Role.READER && view.me().equals(old.upstream())
                    && old.streaming();
            boolean gone = old == null || old.state() == ServerState.UNREACHABLE;
            if (follows || gone || r.writerStoppedAt() == null) {
                return Decision.of(new Action.ClearRequest("done: " + view.me() + " is the writer"),
                        "ending the " + r.kind() + " from " + r.from() + ": I am the writer now"
                                + (follows ? " and " + r.from() + " follows me" : ""));
            }
            return Decision.none("I am the writer after the " + r.kind() + "; waiting for " + r.from()
                    + " to stream from me before I end it");
        }
        Optional<MemberState> target = target(view, r.to());
        if (target.isEmpty()) {
            String why = r.to() == null ? "no standby streams from me" : r.to() + " does not stream from me";
            return Decision.of(new Action.ClearRequest("refused: " + why), "refusing the " + r.kind() + ": " + why);
        }
        String to = target.get().name();
        if (r.endpointsHeldAt() == null && now.isBefore(r.requestedAt().plus(ENDPOINT_HOLD_WAIT))) {
            return Decision.none("handing over to " + to + " (" + r.kind() + ") once the writer endpoint holds new "
                    + "connections, so none reaches me while I stop (at most " + ENDPOINT_HOLD_WAIT.toMillis() + " ms)");
        }
        OperatorRequest resolved = new OperatorRequest(r.kind(), view.me(), to, r.force(), r.requestedAt(), null,
                r.endpointsHeldAt());
        return Decision.of(new Action.StepDown(resolved), "handing over to " + to + " (" + r.kind()
                + "): stopping cleanly so that " + to + " receives all my WAL before it promotes");
    }

    /** The best standby streaming from me, or the named one if it does. */
    private static Optional<MemberState> target(ClusterView view, String wanted) {
        return view.members().values().stream()
                .filter(m -> m.role() == Role.READER && m.state() == ServerState.RUNNING && m.streaming())
                .filter(m -> view.me().equals(m.upstream()))
                .filter(m -> wanted == null || m.name().equals(wanted))
                .max(Comparator.comparing(MemberState::flushedLsn)
                        .thenComparing(MemberState::name, Comparator.reverseOrder()));
    }

    /**
     * I am the writer that stepped down for {@code r} and {@code holder} now holds the lease: I
     * stopped cleanly before it promoted and it received my WAL past my shutdown checkpoint, so my
     * data is a prefix of its new timeline and I follow it without a rewind.
     */
    static Optional<Decision> followAfterHandover(ClusterView view, OperatorRequest r, String holder) {
        if (!view.me().equals(r.from()) || !holder.equals(r.to()) || r.writerStoppedAt() == null
                || view.local().running()) {
            return Optional.empty();
        }
        return view.upstreamOf(holder).map(u -> Decision.of(new Action.StartAsStandby(u), "following " + holder
                + " without a rewind: I stopped cleanly at " + r.writerStoppedAt() + " before it promoted"));
    }

    /**
     * The lease is free and the writer has stepped down for {@code r}: what the old writer, the
     * target and the other standbys do. Empty when no handover is under way.
     */
    static Optional<Decision> handover(ClusterView view, OperatorRequest r) {
        if (r.writerStoppedAt() == null || r.to() == null) {
            return Optional.empty();
        }
        if (view.me().equals(r.from())) {
            return Optional.of(Decision.none("handing over to " + r.to() + "; I stopped cleanly at "
                    + r.writerStoppedAt()));
        }
        if (!view.me().equals(r.to())) {
            return Optional.of(Decision.none(r.kind() + " from " + r.from() + " to " + r.to() + " is under way"));
        }
        if (!view.local().running() || !view.local().accepting()) {
            return Optional.of(Decision.none("waiting for my standby to accept connections before I take over from "
                    + r.from()));
        }
        if (view.local().flushedLsn().isAfter(r.writerStoppedAt())) {
            return Optional.of(Decision.of(new Action.AcquireLease(), "taking the writer lease for the " + r.kind()
                    + " from " + r.from() + ": I received its WAL past its shutdown checkpoint at "
                    + r.writerStoppedAt()));
        }
        return Optional.of(Decision.none("waiting to receive " + r.from() + "'s WAL past its shutdown checkpoint at "
                + r.writerStoppedAt() + " (I have " + view.local().flushedLsn() + ")"));
    }
}
