package io.multiaz.model;


import java.util.ArrayList;
import java.util.List;

/**
 * The cluster as one agent last saw it, for {@code GET /cluster} and {@code multiaz status}: every
 * instance of the spec, its published record (or an "unreachable" placeholder), and per reader
 * the lag and sync state the writer reports for it.
 *
 * @param syncStandbys   standbys the writer counts as synchronous candidates and that stream to it
 * @param waitingCommits sessions on the writer whose commit has waited more than a second for a standby
 * @param commitsWait    a writer holds the lease and commits wait for a standby: fewer synchronous
 *                       standbys stream than the quorum needs, or commits are already waiting
 */
public record ClusterReport(String cluster, String leader, long epoch, boolean paused, OperatorRequest request,
                            List<Member> members, int syncStandbys, int waitingCommits, boolean commitsWait) {

    /**
     * One instance's row. {@code lagBytes} is -1 when unknown; {@code pendingRestart}: a changed
     * parameter waits for the server's next restart.
     */
    public record Member(String name, String az, String host, int port, Role role, ServerState state, long timeline,
                         Lsn lsn, Lsn replayedLsn, long lagBytes, String syncState, String upstream,
                         boolean streaming, String reason, long agentPid, long serverPid, String healthUrl,
                         boolean restarting, boolean pendingRestart) {
    }

    public static ClusterReport of(ClusterSpec spec, ClusterSnapshot snapshot) {
        String leader = snapshot.lease().map(Lease::holder).orElse(null);
        MemberState writer = leader == null ? null : snapshot.members().get(leader);
        List<Member> members = new ArrayList<>();
        for (InstanceSpec i : spec.instances()) {
            MemberState m = snapshot.members().get(i.name());
            members.add(m == null ? unreachable(i) : member(m, writer));
        }
        int sync = 0;
        int waiting = 0;
        boolean commitsWait = false;
        if (writer != null && writer.role() == Role.WRITER) {
            sync = (int) writer.replicas().stream().filter(r -> "streaming".equals(r.state())
                    && ("sync".equals(r.syncState()) || "quorum".equals(r.syncState()))).count();
            waiting = writer.waitingCommits();
            commitsWait = sync < spec.syncQuorum() || waiting > 0;
        }
        return new ClusterReport(spec.name(), leader, snapshot.fence().map(Fence::epoch).orElse(0L), snapshot.paused(),
                snapshot.request().orElse(null), members, sync, waiting, commitsWait);
    }

    private static Member unreachable(InstanceSpec i) {
        return new Member(i.name(), i.az(), i.host(), i.port(), Role.UNKNOWN, ServerState.UNREACHABLE, 0, Lsn.ZERO,
                Lsn.ZERO, -1, "", null, false, "no agent publishes this instance's state: its agent is down or cut off",
                0, 0, null, false, false);
    }

    private static Member member(MemberState m, MemberState writer) {
        long lag = -1;
        String sync = "";
        if (m.role() == Role.WRITER) {
            lag = 0;
            sync = "writer";
        } else if (writer != null && writer.role() == Role.WRITER) {
            ReplicaLink link = writer.replicas().stream().filter(r -> r.name().equals(m.name())).findFirst()
                    .orElse(null);
            lag = link != null ? link.lagBytes() : m.lagBytes();
            sync = link != null ? link.syncState() : "not connected";
        }
        return new Member(m.name(), m.az(), m.host(), m.port(), m.role(), m.state(), m.timeline(), m.flushedLsn(),
                m.replayedLsn(), lag, sync, m.upstream(), m.streaming(), m.reason(), m.agentPid(), m.serverPid(),
                m.healthUrl(), m.restarting(), m.pendingRestart());
    }
}
