package io.multiaz.store;

import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.ParameterGroup;
import io.multiaz.model.ParameterGroup.ApplyMethod;
import io.multiaz.model.ParameterGroup.Setting;
import io.multiaz.model.SubnetGroup;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.multiaz.store.ClusterStoreContract.CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * What every {@link Records} and the {@link Tags} over them do, run against the repositories of
 * {@link RdsRecords#onZooKeeper} on an in-process ZooKeeper and against the in-memory twins of an
 * {@link InMemoryEnsemble}. Each {@link #records()} is another agent's view of the same store.
 */
interface RecordsContract {
    /** The RDS repositories on the backing store shared by this test, as another agent sees it. */
    RdsRecords records();

    @Test
    default void create_new_storedAndListedByName() {
        Records<SubnetGroup> groups = records().subnetGroups();

        assertThat(groups.create("zeta", group("zeta", "z"))).isTrue();
        assertThat(groups.create("alpha", group("alpha", "a"))).isTrue();

        assertThat(records().subnetGroups().get("zeta")).contains(group("zeta", "z"));
        assertThat(records().subnetGroups().get("nope")).isEmpty();
        assertThat(records().subnetGroups().list()).containsExactly(group("alpha", "a"), group("zeta", "z"));
    }

    @Test
    default void create_nameTaken_isFalseAndKeepsFirst() {
        records().subnetGroups().create("web", group("web", "first"));

        assertThat(records().subnetGroups().create("web", group("web", "second"))).isFalse();
        assertThat(records().subnetGroups().get("web")).contains(group("web", "first"));
    }

    @Test
    default void delete_existingThenAgain_trueThenFalse() {
        Records<SubnetGroup> groups = records().subnetGroups();
        assertThat(groups.list()).isEmpty();
        groups.create("web", group("web", "w"));

        assertThat(records().subnetGroups().delete("web")).isTrue();
        assertThat(groups.delete("web")).isFalse();
        assertThat(groups.get("web")).isEmpty();
        assertThat(groups.list()).isEmpty();
    }

    @Test
    default void list_byPages_namesAfterTheMarkerAtMostTheLimit() {
        Records<SubnetGroup> groups = records().subnetGroups();
        assertThat(groups.list(null, 2)).isEqualTo(new Records.Page<>(List.of(), null));
        List.of("d", "a", "c", "b", "e").forEach(n -> groups.create(n, group(n, n)));

        Records.Page<SubnetGroup> first = records().subnetGroups().list(null, 2);
        Records.Page<SubnetGroup> second = groups.list(first.next(), 2);
        groups.create("bb", group("bb", "created between pages, before the marker"));
        Records.Page<SubnetGroup> third = groups.list(second.next(), 2);

        assertThat(first).isEqualTo(new Records.Page<>(List.of(group("a", "a"), group("b", "b")), "b"));
        assertThat(second).isEqualTo(new Records.Page<>(List.of(group("c", "c"), group("d", "d")), "d"));
        assertThat(third).isEqualTo(new Records.Page<>(List.of(group("e", "e")), null));
        assertThat(groups.list("e", 2).records()).isEmpty();
        assertThatThrownBy(() -> groups.list(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void create_nameNotOnePathSegment_isRefused() {
        Records<SubnetGroup> groups = records().subnetGroups();

        assertThatThrownBy(() -> groups.create("a/b", group("a/b", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a/b");
        assertThatThrownBy(() -> groups.get("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void parameterGroups_createListDelete_byName() {
        Records<ParameterGroup> groups = records().parameterGroups();
        assertThat(groups.create("zeta", paramGroup("zeta", "z"))).isTrue();
        assertThat(groups.create("alpha", paramGroup("alpha", "a"))).isTrue();

        assertThat(records().parameterGroups().create("zeta", paramGroup("zeta", "second"))).isFalse();
        assertThat(records().parameterGroups().get("zeta")).contains(paramGroup("zeta", "z"));
        assertThat(records().parameterGroups().list()).containsExactly(paramGroup("alpha", "a"), paramGroup("zeta", "z"));
        assertThat(records().parameterGroups().delete("zeta")).isTrue();
        assertThat(groups.delete("zeta")).isFalse();
        assertThat(groups.list()).containsExactly(paramGroup("alpha", "a"));
    }

    @Test
    default void update_existing_storedForOthers_missingIsEmpty_throwingChangesNothing() {
        Records<ParameterGroup> groups = records().parameterGroups();
        groups.create("web", paramGroup("web", "w"));
        Setting pending = new Setting("200", ApplyMethod.PENDING_REBOOT);

        var after = groups.update("web", g -> g.withParameters(Map.of("max_connections", pending)));

        assertThat(after).hasValueSatisfying(g -> assertThat(g.parameters()).containsOnlyKeys("max_connections"));
        assertThat(records().parameterGroups().get("web")).isEqualTo(after);
        assertThat(groups.update("nope", g -> g)).isEmpty();
        assertThatThrownBy(() -> groups.update("web", g -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(records().parameterGroups().get("web")).isEqualTo(after);
    }

    @Test
    default void update_nullOrEqual_writesNothingAndAnswersTheStoredRecord() {
        Records<ParameterGroup> groups = records().parameterGroups();
        groups.create("web", paramGroup("web", "w"));

        assertThat(groups.update("web", g -> null)).contains(paramGroup("web", "w"));
        assertThat(groups.update("web", g -> paramGroup("web", "w"))).contains(paramGroup("web", "w"));
        assertThat(records().parameterGroups().get("web")).contains(paramGroup("web", "w"));
    }

    @Test
    default void update_twoAgentsConcurrently_neitherLosesAChange() throws Exception {
        Records<ParameterGroup> a = records().parameterGroups();
        Records<ParameterGroup> b = records().parameterGroups();
        a.create("web", paramGroup("web", "w").withParameters(Map.of()));
        Thread other = new Thread(() -> IntStream.range(0, 20).forEach(i -> b.update("web", g -> with(g, "b" + i))));
        other.start();
        IntStream.range(0, 20).forEach(i -> a.update("web", g -> with(g, "a" + i)));
        other.join();

        assertThat(records().parameterGroups().get("web").orElseThrow().parameters()).hasSize(40);
    }

    @Test
    default void clusterSnapshots_createUpdateDelete_byIdentifier() {
        Records<DbClusterSnapshot> snapshots = records().clusterSnapshots();
        assertThat(snapshots.create("final", clusterSnapshot("final", "creating"))).isTrue();
        assertThat(snapshots.create("alpha", clusterSnapshot("alpha", "available"))).isTrue();
        assertThat(records().clusterSnapshots().create("final", clusterSnapshot("final", "available"))).isFalse();
        assertThat(records().clusterSnapshots().list()).containsExactly(clusterSnapshot("alpha", "available"),
                clusterSnapshot("final", "creating"));

        var after = snapshots.update("final", s -> s.available("16.5", 3L << 30));

        assertThat(after).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo("available");
            assertThat(s.allocatedStorage()).isEqualTo(3);
        });
        assertThat(records().clusterSnapshots().get("final")).isEqualTo(after);
        assertThat(records().clusterSnapshots().delete("final")).isTrue();
        assertThat(snapshots.delete("final")).isFalse();
        assertThat(snapshots.get("final")).isEmpty();
    }

    @Test
    default void tags_addAndRemove_keptPerResourceInOrderFirstAdded() {
        Tags tags = records().tags();
        assertThat(tags.get(CLUSTER, "cluster")).isEmpty();

        tags.update(CLUSTER, "cluster", t -> with(t, "env", "prod"));
        tags.update(CLUSTER, "cluster", t -> with(t, "team", "db"));
        tags.update(CLUSTER, "cluster", t -> with(t, "env", "staging"));
        tags.update(CLUSTER, "db:db-1", t -> with(t, "role", "writer"));

        assertThat(records().tags().get(CLUSTER, "cluster")).containsExactly(entry("env", "staging"), entry("team", "db"));
        assertThat(records().tags().get(CLUSTER, "db:db-1")).containsExactly(entry("role", "writer"));
        assertThat(records().tags().get("payments", "cluster")).isEmpty();

        Map<String, String> after = tags.update(CLUSTER, "cluster", t -> {
            Map<String, String> m = new LinkedHashMap<>(t);
            m.remove("env");
            return m;
        });
        assertThat(after).containsExactly(entry("team", "db"));
        assertThat(records().tags().get(CLUSTER, "cluster")).containsExactly(entry("team", "db"));
    }

    @Test
    default void tags_changeThrows_tagsUnchanged() {
        Tags tags = records().tags();
        tags.update(CLUSTER, "cluster", t -> with(t, "env", "prod"));

        assertThatThrownBy(() -> tags.update(CLUSTER, "cluster", t -> {
            throw new IllegalStateException("too many tags");
        })).hasMessageContaining("too many tags");
        assertThat(records().tags().get(CLUSTER, "cluster")).containsExactly(entry("env", "prod"));
    }

    @Test
    default void tags_twoAgentsConcurrently_neitherLosesKeys() throws Exception {
        Tags a = records().tags();
        Tags b = records().tags();
        Thread other = new Thread(() -> IntStream.range(0, 20).forEach(i -> b.update(CLUSTER, "cluster",
                t -> with(t, "b" + i, "v"))));
        other.start();
        IntStream.range(0, 20).forEach(i -> a.update(CLUSTER, "cluster", t -> with(t, "a" + i, "v")));
        other.join();

        assertThat(records().tags().get(CLUSTER, "cluster")).hasSize(40);
    }

    private static SubnetGroup group(String name, String description) {
        return new SubnetGroup(name, description, List.of(new SubnetGroup.Subnet("subnet-1", "az-a"),
                new SubnetGroup.Subnet("subnet-2", "az-b")), Instant.parse("2025-01-02T03:04:05Z"));
    }

    private static ParameterGroup paramGroup(String name, String description) {
        return new ParameterGroup(name, "postgres15", description, Map.of("work_mem",
                new Setting("8192", ApplyMethod.IMMEDIATE)), Instant.parse("2025-01-02T03:04:05Z"));
    }

    private static ParameterGroup with(ParameterGroup g, String parameter) {
        Map<String, Setting> next = new LinkedHashMap<>(g.parameters());
        next.put(parameter, new Setting("1", ApplyMethod.IMMEDIATE));
        return g.withParameters(next);
    }

    private static DbClusterSnapshot clusterSnapshot(String id, String status) {
        return new DbClusterSnapshot(id, "orders", "postgres", "16.4", Instant.parse("2025-01-02T03:04:05Z"),
                Instant.parse("2025-01-01T00:00:00Z"), "dbadmin", 5432, List.of("az-a", "az-b", "az-c"), "az-a",
                "127.0.0.1", status, 42L << 20, "manual");
    }

    private static Map<String, String> with(Map<String, String> tags, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(tags);
        m.put(key, value);
        return m;
    }
}
