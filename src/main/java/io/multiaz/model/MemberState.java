package io.multiaz.model;

import java.time.Instant;
import java.util.List;

/**
 * What one instance's agent publishes on every HA cycle (an ephemeral record in the store): the
 * server's role and state, its WAL positions and the reason of its last decision.
 *
 * @param flushedLsn  last WAL position durably flushed (writer: current flush; reader: received)
 * @param replayedLsn last WAL position replayed (reader); equal to flushedLsn on the writer
 * @param lagBytes    reader: bytes between the writer's published flush position and my replay; 0 on the
 *                    writer; -1 when unknown (no writer published)
 * @param upstream    the member a reader streams from, null on the writer
 * @param streaming   a reader's WAL receiver is connected and streaming
 * @param replicas    the writer's view of its standbys (empty on readers)
 * @param healthUrl   base URL of the agent's health endpoints
 * @param waitingCommits writer: sessions whose commit has waited more than a second for a standby
 * @param restarting  its server is being restarted on request (RebootDBInstance) and is not back yet
 * @param pendingRestart a changed parameter takes effect only at its server's next restart (RDS's
 *                    {@code pending-reboot})
 */
public record MemberState(String name, String az, String host, int port, Role role, ServerState state,
                          long timeline, Lsn flushedLsn, Lsn replayedLsn, long lagBytes, String upstream, boolean streaming,
                          List<ReplicaLink> replicas, String syncStandbyNames, long agentPid, long serverPid,
                          String reason, String healthUrl, Instant updated, int waitingCommits, boolean restarting,
                          boolean pendingRestart) {
    public MemberState {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }

    public MemberState(String name, String az, String host, int port, Role role, ServerState state, long timeline,
                       Lsn flushedLsn, Lsn replayedLsn, long lagBytes, String upstream, boolean streaming,
                       List<ReplicaLink> replicas, String syncStandbyNames, long agentPid, long serverPid, String reason,
                       String healthUrl, Instant updated) {
        this(name, az, host, port, role, state, timeline, flushedLsn, replayedLsn, lagBytes, upstream, streaming,
                replicas, syncStandbyNames, agentPid, serverPid, reason, healthUrl, updated, 0, false, false);
    }


    /** This record with {@code restarting} in place of its own. */
    public MemberState withRestarting(boolean restarting) {
        return new MemberState(name, az, host, port, role, state, timeline, flushedLsn, replayedLsn, lagBytes, upstream,
                streaming, replicas, syncStandbyNames, agentPid, serverPid, reason, healthUrl, updated, waitingCommits,
                restarting, pendingRestart);
    }

    /** Whether {@code other} says the same as this record, whenever each was taken. */
    public boolean sameContent(MemberState other) {
        return other != null && equals(new MemberState(other.name, other.az, other.host, other.port, other.role,
                other.state, other.timeline, other.flushedLsn, other.replayedLsn, other.lagBytes, other.upstream,
                other.streaming, other.replicas, other.syncStandbyNames, other.agentPid, other.serverPid,
                other.reason, other.healthUrl, updated, other.waitingCommits, other.restarting, other.pendingRestart));
    }
}
