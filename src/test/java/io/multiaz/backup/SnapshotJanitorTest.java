package io.multiaz.backup;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.DbClusterSettings;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.InMemoryClusterStore;
import io.multiaz.store.RdsRecords;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** Which deleted snapshots the janitor expires, and when a stanza goes with them; over in-memory records. */
final class SnapshotJanitorTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private final InMemoryClusterStore store = new InMemoryClusterStore();
    private final RdsRecords records = store.ensemble().records();
    private final FakeTool tool = new FakeTool();
    private final SnapshotJanitor janitor = new SnapshotJanitor(records.clusterSnapshots(), records.clusters(), store,
            tool);

    private static ClusterSpec cluster(String name) {
        return new ClusterSpec(name, "app", 1, List.of(new InstanceSpec(name + "-1", "az-a", "127.0.0.1", 6000),
                new InstanceSpec(name + "-2", "az-b", "127.0.0.1", 6010)), Credentials.generate("dbadmin",
                new java.security.SecureRandom()), Map.of(), new DbClusterSettings(1, "db.m6gd.large", null, null, 1,
                null, null, false, CREATED, false, List.of()));
    }

    private void snapshot(String id, String stanza, String status, String label) {
        records.clusterSnapshots().create(id, new DbClusterSnapshot(id, "orders", "postgres", "15.14", CREATED,
                CREATED, "dbadmin", 5432, List.of("az-a"), null, null, status, 1, "manual", stanza, label, null));
    }

    @Test
    void pass_snapshotOfALiveCluster_expiresItsSetAndKeepsTheStanza() {
        records.clusters().create(cluster("orders"));
        String stanza = cluster("orders").backupStanza();
        tool.sets.add("20260101-000000F");
        snapshot("before-upgrade", stanza, DbClusterSnapshot.DELETING, "20260101-000000F");
        snapshot("keep-me", stanza, DbClusterSnapshot.AVAILABLE, "20260102-000000F");

        janitor.pass();

        assertThat(tool.calls).containsExactly("expire " + stanza + " 20260101-000000F");
        assertThat(records.clusterSnapshots().get("before-upgrade")).isEmpty();
        assertThat(records.clusterSnapshots().get("keep-me")).isPresent();
    }

    @Test
    void pass_lastSnapshotOfADeletedCluster_deletesTheStanza() {
        snapshot("final", "orders-1767225600000", DbClusterSnapshot.DELETING, "20260101-000000F");

        janitor.pass();

        assertThat(tool.calls).containsExactly("delete orders-1767225600000");
        assertThat(records.clusterSnapshots().list()).isEmpty();
    }

    @Test
    void pass_stanzaBusy_keepsTheRecordForTheNextPass() {
        records.clusters().create(cluster("orders"));
        tool.sets.add("20260101-000000F");
        tool.busy = true;
        snapshot("s1", cluster("orders").backupStanza(), DbClusterSnapshot.DELETING, "20260101-000000F");

        janitor.pass();

        assertThat(records.clusterSnapshots().get("s1")).isPresent();
        tool.busy = false;
        janitor.pass();
        assertThat(records.clusterSnapshots().get("s1")).isEmpty();
    }

    @Test
    void pass_setAlreadyExpiredByAnotherAgent_onlyTheRecordGoes() {
        records.clusters().create(cluster("orders"));
        snapshot("s1", cluster("orders").backupStanza(), DbClusterSnapshot.DELETING, "20260101-000000F");
        snapshot("s2", cluster("orders").backupStanza(), DbClusterSnapshot.AVAILABLE, "20260102-000000F");

        janitor.pass();

        assertThat(tool.calls).isEmpty();
        assertThat(records.clusterSnapshots().get("s1")).isEmpty();
    }

    /** The repository as a list of set labels; "busy" answers pgBackRest's lock error (50). */
    private static final class FakeTool implements BackupTool {
        final List<String> sets = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        boolean busy;

        @Override
        public String archivePushCommand(String stanza, Path dataDir, Path workDir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void createStanza(String stanza, Member writer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String backup(String stanza, Member writer, List<Member> standbys, BackupType type,
                             Map<String, String> annotations, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Stanza describe(String stanza) {
            return new Stanza(true, sets.stream().map(l -> new StoredSet(l, "full", CREATED, CREATED, 1, 1, Map.of()))
                    .toList(), OptionalInt.empty());
        }

        @Override
        public void deleteStanza(String stanza) {
            calls.add("delete " + stanza);
        }

        @Override
        public void expire(String stanza, String label) {
            if (busy) {
                throw new BackupException(BackupException.Reason.FAILED, 50, "unable to acquire lock", null);
            }
            calls.add("expire " + stanza + " " + label);
            sets.remove(label);
        }
    }
}
