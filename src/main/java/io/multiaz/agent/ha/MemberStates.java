package io.multiaz.agent.ha;

import io.multiaz.ha.Action;
import io.multiaz.ha.ClusterView;
import io.multiaz.ha.Decision;
import io.multiaz.model.DataState;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.LocalServer;
import io.multiaz.model.MemberState;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;

import java.time.Instant;

/** Builds the record an instance publishes from what it observed and what it decided. */
public final class MemberStates {
    private MemberStates() {
    }

    public static MemberState of(ClusterView view, Decision decision, String reason, String healthUrl, Instant now,
                          boolean restarting) {
        LocalServer local = view.local();
        InstanceSpec me = view.myInstance();
        return new MemberState(me.name(), me.az(), me.host(), me.port(), role(view), state(local, decision.action()),
                local.timeline(), local.flushedLsn(), local.inRecovery() ? local.replayedLsn() : local.flushedLsn(),
                lagBytes(view),
                local.inRecovery() ? local.upstream() : null, local.streaming(), local.replicas(),
                local.syncStandbyNames(), ProcessHandle.current().pid(), local.serverPid(), reason, healthUrl, now,
                local.waitingCommits(), restarting, local.pendingRestart());
    }

    /** Reader: the writer's published flush position minus my replay position; -1 when no writer is known. */
    public static long lagBytes(ClusterView view) {
        LocalServer local = view.local();
        if (local.running() && local.accepting() && !local.inRecovery()) {
            return 0;
        }
        return view.otherLeaseHolder()
                .map(holder -> view.members().get(holder))
                .map(writer -> writer.flushedLsn().bytesAfter(local.replayedLsn()))
                .orElse(-1L);
    }

    public static Role role(ClusterView view) {
        LocalServer local = view.local();
        if (local.running() && local.accepting()) {
            return local.inRecovery() ? Role.READER : Role.WRITER;
        }
        if (local.data() == DataState.STANDBY) {
            return Role.READER;
        }
        return local.data() == DataState.PRIMARY && view.iHoldLease() ? Role.WRITER : Role.UNKNOWN;
    }

    public static ServerState state(LocalServer local, Action action) {
        if (action instanceof Action.InitDb) {
            return ServerState.INITIALIZING;
        }
        if (action instanceof Action.CloneFrom) {
            return ServerState.CLONING;
        }
        if (local.data() == DataState.EMPTY) {
            return ServerState.EMPTY;
        }
        if (!local.running()) {
            return action instanceof Action.StartAsWriter || action instanceof Action.StartAsStandby
                    ? ServerState.STARTING : ServerState.STOPPED;
        }
        return local.accepting() ? ServerState.RUNNING : ServerState.STARTING;
    }
}
