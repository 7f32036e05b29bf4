package io.multiaz.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When {@code status} says commits wait: the writer's synchronous standbys and its waiting sessions. */
class ClusterReportTest {
    private static final ClusterSpec DEMO = new ClusterSpec("demo", "postgres", 1, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500),
            new InstanceSpec("demo-2", "az-b", "127.0.0.1", 6510),
            new InstanceSpec("demo-3", "az-c", "127.0.0.1", 6520)),
            new Credentials("multiaz_admin", "su", "replicator", "repl", "admin", "master"), Map.of());

    private static ReplicaLink link(String name, String state, String sync) {
        return new ReplicaLink(name, state, sync, Lsn.ZERO, Lsn.ZERO, 0);
    }

    private static ClusterReport report(List<ReplicaLink> replicas, int waiting) {
        MemberState writer = new MemberState("demo-1", "az-a", "127.0.0.1", 6500, Role.WRITER, ServerState.RUNNING, 1,
                Lsn.ZERO, Lsn.ZERO, 0, null, false, replicas, "ANY 1 (\"demo-2\", \"demo-3\")", 1, 2, "writer", null,
                Instant.EPOCH, waiting, false, false);
        ClusterSnapshot snapshot = new ClusterSnapshot(Optional.of(DEMO), Optional.empty(),
                Optional.of(new Lease("demo-1", false)), Optional.of(new Fence("demo-1", 1, 0)),
                Map.of("demo-1", writer), Optional.empty(), false);
        return ClusterReport.of(DEMO, snapshot);
    }

    @Test
    void oneStreamingQuorumStandbyIsEnough() {
        ClusterReport r = report(List.of(link("demo-2", "streaming", "quorum"), link("demo-3", "catchup", "quorum")), 0);
        assertThat(r.syncStandbys()).isEqualTo(1);
        assertThat(r.commitsWait()).isFalse();
    }

    @Test
    void noSynchronousStandbyStreamingMeansCommitsWait() {
        assertThat(report(List.of(), 0).commitsWait()).isTrue();
        assertThat(report(List.of(link("demo-2", "streaming", "async")), 0).commitsWait()).isTrue();
        assertThat(report(List.of(link("demo-2", "startup", "quorum")), 0).commitsWait()).isTrue();
    }

    @Test
    void sessionsWaitingForAStandbyMeanCommitsWaitEvenWhenTheStandbysLookConnected() {
        ClusterReport r = report(List.of(link("demo-2", "streaming", "quorum"), link("demo-3", "streaming", "quorum")), 3);
        assertThat(r.commitsWait()).isTrue();
        assertThat(r.waitingCommits()).isEqualTo(3);
    }

    @Test
    void withoutAWriterNothingIsSaidToWait() {
        ClusterSnapshot empty = new ClusterSnapshot(Optional.of(DEMO), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), Optional.empty(), false);
        assertThat(ClusterReport.of(DEMO, empty).commitsWait()).isFalse();
    }
}
