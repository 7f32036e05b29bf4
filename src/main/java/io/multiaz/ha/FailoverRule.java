package io.multiaz.ha;

import io.multiaz.model.Fence;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.LocalServer;
import io.multiaz.model.Lsn;
import io.multiaz.model.MemberState;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The RPO-0 promotion rule (DESIGN invariant 1), for a running standby that sees the writer lease
 * free. With {@code ANY 1} of the writer's standbys, every acknowledged commit is on at least one
 * of them; so a standby may take the lease only when
 * <ol>
 *   <li>it has stopped receiving WAL itself (its position cannot move any more),</li>
 *   <li>every other standby of the old writer has published a position taken after it stopped
 *       receiving too (an unreachable one may hold commits nobody else has: refuse), and</li>
 *   <li>its flushed position is the highest of them (ties go to the lowest instance name).</li>
 * </ol>
 */
final class FailoverRule {
    private final ClusterView view;
    private final boolean force;
    private final String preferred;

    /** The automatic rule. */
    FailoverRule(ClusterView view) {
        this(view, false, null);
    }

    /**
     * The rule for an operator's failover: {@code preferred} (may be null) is the only standby that
     * may promote; with {@code force}, unreachable or stopped standbys are left out of the comparison
     * (the operator accepts losing commits only they hold) and {@code preferred} promotes even if
     * behind.
     */
    FailoverRule(ClusterView view, boolean force, String preferred) {
        this.view = view;
        this.force = force;
        this.preferred = preferred;
    }

    Decision decide() {
        LocalServer local = view.local();
        if (local.upstream() != null || local.streaming()) {
            return Decision.of(new Action.Detach(), "detaching from " + (local.upstream() == null ? "my upstream"
                    : local.upstream()) + ": the writer lease is free, so my WAL position must stop moving before "
                    + "positions are compared");
        }
        String oldWriter = view.fence().map(Fence::writer).orElse(null);
        List<InstanceSpec> standbys = view.spec().others(oldWriter == null ? "" : oldWriter);
        List<MemberState> others = new ArrayList<>();
        for (InstanceSpec s : standbys) {
            if (s.name().equals(view.me())) {
                continue;
            }
            MemberState m = view.members().get(s.name());
            if (force && (m == null || m.state() != ServerState.RUNNING || m.role() != Role.READER)) {
                continue;
            }
            Optional<Decision> blocked = blocker(s.name(), m);
            if (blocked.isPresent()) {
                return blocked.get();
            }
            others.add(m);
        }
        return compare(local.flushedLsn(), others, standbys.size(), oldWriter);
    }

    private Optional<Decision> blocker(String name, MemberState m) {
        if (m == null || m.state() == ServerState.UNREACHABLE) {
            return Optional.of(Decision.refused(Refusal.PROMOTION, "refusing to promote: standby " + name
                    + " is unreachable and may hold acknowledged commits I lack; bring it back, or accept that risk "
                    + "with multiaz failover --force"));
        }
        if (m.state() != ServerState.RUNNING || m.role() != Role.READER) {
            return Optional.of(Decision.none("waiting for standby " + name + " to run (it is " + m.role() + " "
                    + m.state() + ") so that I can compare our positions"));
        }
        if (m.upstream() != null || m.streaming()) {
            return Optional.of(Decision.none("waiting for standby " + name
                    + " to stop receiving WAL before comparing positions"));
        }
        return Optional.empty();
    }

    private Decision compare(Lsn mine, List<MemberState> others, int standbyCount, String oldWriter) {
        if (preferred != null && !preferred.equals(view.me())) {
            return Decision.none("the operator asked for " + preferred + " to become writer");
        }
        if (preferred != null && force) {
            return Decision.of(new Action.AcquireLease(), "taking the writer lease to promote: the operator forced "
                    + "a failover to me (flushed LSN " + mine + "), accepting the loss of commits only absent standbys hold");
        }
        for (MemberState m : others) {
            int c = m.flushedLsn().compareTo(mine);
            if (preferred != null && c > 0) {
                return Decision.refused(Refusal.PROMOTION, "refusing the failover to me: standby " + m.name()
                        + " holds flushed LSN " + m.flushedLsn() + ", ahead of my " + mine
                        + "; force it with multiaz failover --force");
            }
            if (preferred == null && (c > 0 || c == 0 && m.name().compareTo(view.me()) < 0)) {
                return Decision.none("standby " + m.name() + " should promote: it holds flushed LSN " + m.flushedLsn()
                        + (c == 0 ? " as I do and its name sorts first" : ", ahead of my " + mine));
            }
        }
        int heard = others.size() + 1;
        return Decision.of(new Action.AcquireLease(), "taking the writer lease to promote: the lease of "
                + (oldWriter == null ? "the last writer" : oldWriter) + " is gone and I hold the highest flushed LSN ("
                + mine + ") of " + heard + " of " + standbyCount + " standbys" + (force ? " (forced)" : ""));
    }
}
