package io.multiaz.store;

import io.multiaz.model.ClusterSnapshot;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Fence;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.Lease;
import io.multiaz.model.Lsn;
import io.multiaz.model.OperatorRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.multiaz.store.StoreFixtures.event;
import static io.multiaz.store.StoreFixtures.historyEntry;
import static io.multiaz.store.StoreFixtures.reader;
import static io.multiaz.store.StoreFixtures.spec;
import static io.multiaz.store.StoreFixtures.switchover;
import static io.multiaz.store.StoreFixtures.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link ClusterStore} does, run against {@link CuratorClusterStore} on an in-process
 * ZooKeeper and against {@link InMemoryClusterStore}, so the fake stays faithful. Each store a test
 * opens is one agent's session on the same backing store.
 */
abstract class ClusterStoreContract {
    static final String CLUSTER = "orders";

    /** A new session (agent) on the backing store shared by this test. */
    abstract ClusterStore newSession();

    /** As {@link #newSession()}, keeping the newest {@code eventsKept} events per cluster. */
    abstract ClusterStore newSessionKeepingEvents(int eventsKept);

    /** Ends {@code store}'s session the way a crash or expiry would, without calling its close(). */
    abstract void endSession(ClusterStore store);

    @Test
    void read_emptyCluster_returnsNothing() {
        ClusterSnapshot snapshot = newSession().read(CLUSTER);

        assertThat(snapshot.spec()).isEmpty();
        assertThat(snapshot.bootstrap()).isEmpty();
        assertThat(snapshot.lease()).isEmpty();
        assertThat(snapshot.fence()).isEmpty();
        assertThat(snapshot.members()).isEmpty();
        assertThat(snapshot.request()).isEmpty();
        assertThat(snapshot.paused()).isFalse();
    }

    @Test
    void putSpecIfAbsent_newSpec_storesIt() {
        ClusterStore store = newSession();

        ClusterSpec stored = store.putSpecIfAbsent(spec(CLUSTER));

        assertThat(stored).isEqualTo(spec(CLUSTER));
        assertThat(newSession().read(CLUSTER).spec()).contains(spec(CLUSTER));
    }

    @Test
    void putSpecIfAbsent_specExists_returnsStoredOne() {
        ClusterStore store = newSession();
        store.putSpecIfAbsent(spec(CLUSTER));
        ClusterSpec other = new ClusterSpec(CLUSTER, "other", 0, spec(CLUSTER).instances().subList(0, 1),
                spec(CLUSTER).credentials(), null);

        assertThat(newSession().putSpecIfAbsent(other)).isEqualTo(spec(CLUSTER));
        assertThat(store.read(CLUSTER).spec()).contains(spec(CLUSTER));
    }

    @Test
    void createCluster_nameTaken_writesNothing() {
        ClusterStore store = newSession();
        assertThat(store.createCluster(spec(CLUSTER))).isTrue();
        ClusterSpec other = spec(CLUSTER).withInstances(spec(CLUSTER).instances().subList(0, 1));

        assertThat(newSession().createCluster(other)).isFalse();
        assertThat(store.read(CLUSTER).spec()).contains(spec(CLUSTER));
    }

    @Test
    void updateSpec_changesIt_andAThrowingChangeLeavesIt() {
        ClusterStore store = newSession();
        store.createCluster(spec(CLUSTER));
        ClusterSpec one = spec(CLUSTER).withInstances(spec(CLUSTER).instances().subList(0, 1));

        assertThat(store.updateSpec(CLUSTER, s -> one)).contains(one);
        assertThatThrownBy(() -> store.updateSpec(CLUSTER, s -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(newSession().read(CLUSTER).spec()).contains(one);
        assertThat(store.updateSpec("nope", s -> one)).isEmpty();
    }

    @Test
    void deleteCluster_removesEverything_andFreesItsSlot() {
        ClusterStore store = newSession();
        int slot = store.claimSlot(CLUSTER).orElseThrow();
        store.createCluster(spec(CLUSTER));
        store.appendEvent(CLUSTER, event(1));

        store.deleteCluster(CLUSTER);

        assertThat(store.clusters()).doesNotContain(CLUSTER);
        assertThat(store.read(CLUSTER).spec()).isEmpty();
        assertThat(store.events(CLUSTER, 10)).isEmpty();
        assertThat(store.claimSlot("payments")).hasValue(slot);
    }

    @Test
    void claimSlot_isPerClusterAndStable() {
        ClusterStore store = newSession();
        int a = store.claimSlot("a").orElseThrow();
        int b = newSession().claimSlot("b").orElseThrow();

        assertThat(a).isEqualTo(1);
        assertThat(b).isEqualTo(2);
        assertThat(store.claimSlot("a")).hasValue(a);
        for (int i = 3; i < io.multiaz.model.DbClusterSettings.MAX_SLOTS; i++) {
            store.claimSlot("c" + i);
        }
        assertThat(store.claimSlot("one-too-many")).isEmpty();
    }

    @Test
    void watchClusters_seesCreateAndDelete() throws Exception {
        ClusterStore store = newSession();
        AtomicInteger calls = new AtomicInteger();
        try (AutoCloseable w = store.watchClusters(calls::incrementAndGet)) {
            newSession().createCluster(spec(CLUSTER));
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 1);
            int afterCreate = calls.get();
            newSession().deleteCluster(CLUSTER);
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > afterCreate);
        }
    }

    @Test
    void clusters_someWithoutSpec_listsOnlyThoseWithSpec() {
        ClusterStore store = newSession();
        store.putSpecIfAbsent(spec("payments"));
        store.putSpecIfAbsent(spec(CLUSTER));
        store.claimBootstrap("half-made", "db-1");

        assertThat(store.clusters()).containsExactly(CLUSTER, "payments");
    }

    @Test
    void claimBootstrap_twoSessions_onlyOneWins() {
        ClusterStore first = newSession();
        ClusterStore second = newSession();

        assertThat(first.claimBootstrap(CLUSTER, "db-1")).isTrue();
        assertThat(second.claimBootstrap(CLUSTER, "db-2")).isFalse();
        assertThat(second.bootstrap(CLUSTER)).contains(new Bootstrap("db-1", false, null));
    }

    @Test
    void claimBootstrap_ownerRetries_isTrueAgain() {
        ClusterStore store = newSession();
        store.claimBootstrap(CLUSTER, "db-1");

        assertThat(newSession().claimBootstrap(CLUSTER, "db-1")).isTrue();
    }

    @Test
    void completeBootstrap_byOwner_marksItComplete() {
        ClusterStore store = newSession();
        store.claimBootstrap(CLUSTER, "db-1");

        store.completeBootstrap(CLUSTER, "db-1", "7301234567890123456");

        assertThat(newSession().bootstrap(CLUSTER)).contains(new Bootstrap("db-1", true, "7301234567890123456"));
    }

    @Test
    void completeBootstrap_byNonOwner_throwsAndLeavesRecord() {
        ClusterStore owner = newSession();
        ClusterStore other = newSession();
        owner.claimBootstrap(CLUSTER, "db-1");

        assertThatThrownBy(() -> other.completeBootstrap(CLUSTER, "db-2", "1"))
                .isInstanceOf(StoreException.class).hasMessageContaining("owned by db-1");
        assertThat(owner.bootstrap(CLUSTER)).contains(new Bootstrap("db-1", false, null));
    }

    @Test
    void completeBootstrap_unclaimed_throws() {
        assertThatThrownBy(() -> newSession().completeBootstrap(CLUSTER, "db-1", "1"))
                .isInstanceOf(StoreException.class).hasMessageContaining("claim it first");
    }

    @Test
    void acquireLease_twoSessions_onlyOneHoldsIt() {
        ClusterStore first = newSession();
        ClusterStore second = newSession();

        assertThat(first.acquireLease(CLUSTER, "db-1")).isTrue();
        assertThat(second.acquireLease(CLUSTER, "db-2")).isFalse();

        assertThat(first.read(CLUSTER).lease()).contains(new Lease("db-1", true));
        assertThat(second.read(CLUSTER).lease()).contains(new Lease("db-1", false));
    }

    @Test
    void acquireLease_heldBySameSession_isTrueAgain() {
        ClusterStore store = newSession();
        store.acquireLease(CLUSTER, "db-1");

        assertThat(store.acquireLease(CLUSTER, "db-1")).isTrue();
        assertThat(store.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    void acquireLease_sameMemberFromNewSession_takesItOver() {
        ClusterStore oldSession = newSession();
        ClusterStore newSession = newSession();
        oldSession.acquireLease(CLUSTER, "db-1");

        assertThat(newSession.acquireLease(CLUSTER, "db-1")).isTrue();

        assertThat(newSession.read(CLUSTER).lease()).contains(new Lease("db-1", true));
        assertThat(oldSession.read(CLUSTER).lease()).contains(new Lease("db-1", false));
    }

    @Test
    void acquireLease_takenOverSessionEnds_leaseStays() {
        ClusterStore oldSession = newSession();
        ClusterStore newSession = newSession();
        oldSession.acquireLease(CLUSTER, "db-1");
        newSession.acquireLease(CLUSTER, "db-1");

        endSession(oldSession);

        assertThat(newSession.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    void releaseLease_byNonHolder_isNoOp() {
        ClusterStore holder = newSession();
        ClusterStore other = newSession();
        holder.acquireLease(CLUSTER, "db-1");

        other.releaseLease(CLUSTER, "db-2");
        other.releaseLease(CLUSTER, "db-1");

        assertThat(holder.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    void releaseLease_byHolder_letsAnotherAcquire() {
        ClusterStore holder = newSession();
        ClusterStore other = newSession();
        holder.acquireLease(CLUSTER, "db-1");

        holder.releaseLease(CLUSTER, "db-1");

        assertThat(holder.read(CLUSTER).lease()).isEmpty();
        assertThat(other.acquireLease(CLUSTER, "db-2")).isTrue();
    }

    @Test
    void acquireLease_holderSessionEnds_leaseVanishes() {
        ClusterStore holder = newSession();
        ClusterStore other = newSession();
        holder.acquireLease(CLUSTER, "db-1");

        endSession(holder);

        await().atMost(Duration.ofSeconds(10)).until(() -> other.read(CLUSTER).lease().isEmpty());
        assertThat(other.acquireLease(CLUSTER, "db-2")).isTrue();
    }

    @Test
    void writeFence_versionChecks_onlyTheExpectedVersionWins() {
        ClusterStore store = newSession();

        assertThat(store.writeFence(CLUSTER, new Fence("db-1", 1, -1), -1)).isTrue();
        assertThat(store.writeFence(CLUSTER, new Fence("db-2", 1, -1), -1)).isFalse();
        assertThat(store.fence(CLUSTER)).contains(new Fence("db-1", 1, 0));

        assertThat(store.writeFence(CLUSTER, new Fence("db-2", 2, -1), 0)).isTrue();
        assertThat(store.writeFence(CLUSTER, new Fence("db-3", 2, -1), 0)).isFalse();
        assertThat(newSession().fence(CLUSTER)).contains(new Fence("db-2", 2, 1));
    }

    @Test
    void writeFence_sameWriteRetried_isTrue() {
        ClusterStore store = newSession();
        store.writeFence(CLUSTER, new Fence("db-1", 1, -1), -1);
        store.writeFence(CLUSTER, new Fence("db-2", 2, -1), 0);

        assertThat(store.writeFence(CLUSTER, new Fence("db-2", 2, -1), 0)).isTrue();
        assertThat(store.writeFence(CLUSTER, new Fence("db-1", 1, -1), -1)).isFalse();
        assertThat(store.fence(CLUSTER)).contains(new Fence("db-2", 2, 1));
    }

    @Test
    void writeFence_expectingVersionOfMissingFence_isFalse() {
        assertThat(newSession().writeFence(CLUSTER, new Fence("db-1", 1, -1), 0)).isFalse();
    }

    @Test
    void publishMember_twice_storesLatestState() {
        ClusterStore store = newSession();
        store.publishMember(CLUSTER, writer("db-1", "promoting: lease of db-2 expired"));

        store.publishMember(CLUSTER, writer("db-1", "no action: I am db-1, writer holding the lease"));
        store.publishMember(CLUSTER, reader("db-2"));

        assertThat(newSession().read(CLUSTER).members()).containsOnly(
                entry("db-1", writer("db-1", "no action: I am db-1, writer holding the lease")),
                entry("db-2", reader("db-2")));
    }

    @Test
    void publishMember_sameMemberFromNewSession_replacesOldRecord() {
        ClusterStore oldSession = newSession();
        ClusterStore newSession = newSession();
        oldSession.publishMember(CLUSTER, writer("db-1", "old"));

        newSession.publishMember(CLUSTER, writer("db-1", "new"));
        oldSession.removeMember(CLUSTER, "db-1");
        endSession(oldSession);

        assertThat(newSession.read(CLUSTER).members()).containsOnly(entry("db-1", writer("db-1", "new")));
    }

    @Test
    void publishMember_sessionEnds_memberDisappears() {
        ClusterStore leaving = newSession();
        ClusterStore staying = newSession();
        leaving.publishMember(CLUSTER, reader("db-2"));
        staying.publishMember(CLUSTER, writer("db-1", "r"));

        endSession(leaving);

        await().atMost(Duration.ofSeconds(10)).until(() -> !staying.read(CLUSTER).members().containsKey("db-2"));
        assertThat(staying.read(CLUSTER).members()).containsOnlyKeys("db-1");
    }

    @Test
    void removeMember_ownRecord_removesIt() {
        ClusterStore store = newSession();
        store.publishMember(CLUSTER, reader("db-2"));

        store.removeMember(CLUSTER, "db-2");
        store.removeMember(CLUSTER, "db-3");

        assertThat(store.read(CLUSTER).members()).isEmpty();
    }

    @Test
    void close_twice_dropsEphemeralsAndRefusesCalls() {
        ClusterStore store = newSession();
        ClusterStore other = newSession();
        store.putSpecIfAbsent(spec(CLUSTER));
        store.acquireLease(CLUSTER, "db-1");
        store.publishMember(CLUSTER, writer("db-1", "r"));

        store.close();
        store.close();

        assertThat(store.isConnected()).isFalse();
        assertThatThrownBy(() -> store.read(CLUSTER)).isInstanceOf(StoreException.class);
        ClusterSnapshot after = other.read(CLUSTER);
        assertThat(after.lease()).isEmpty();
        assertThat(after.members()).isEmpty();
        assertThat(after.spec()).isPresent();
    }

    @Test
    void isConnected_openSession_isTrue() {
        assertThat(newSession().isConnected()).isTrue();
    }

    @Test
    void putRequest_nonePending_storesIt() {
        ClusterStore store = newSession();

        assertThat(store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"))).isTrue();

        assertThat(newSession().read(CLUSTER).request()).contains(switchover("2025-01-02T03:04:05Z"));
    }

    @Test
    void putRequest_anotherPending_isFalseAndKeepsFirst() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));
        OperatorRequest failover = new OperatorRequest(OperatorRequest.Kind.FAILOVER, "db-1", null, true,
                Instant.parse("2025-01-02T03:04:06Z"), null);

        assertThat(newSession().putRequest(CLUSTER, failover)).isFalse();
        assertThat(store.read(CLUSTER).request()).contains(switchover("2025-01-02T03:04:05Z"));
    }

    @Test
    void putRequest_sameRequestRetried_isTrue() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));

        assertThat(store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"))).isTrue();
    }

    @Test
    void updateRequest_pending_replacesIt() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));
        OperatorRequest stopped = switchover("2025-01-02T03:04:05Z").withWriterStoppedAt(Lsn.parse("0/3000060"));

        assertThat(newSession().updateRequest(CLUSTER, cur -> stopped)).isTrue();

        assertThat(store.read(CLUSTER).request()).contains(stopped);
        assertThat(store.read(CLUSTER).request().orElseThrow().writerStoppedAt()).isEqualTo(Lsn.parse("0/3000060"));
    }

    @Test
    void updateRequest_twoWritersEachChangeTheirField_neitherIsLost() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));
        java.time.Instant held = java.time.Instant.parse("2025-01-02T03:04:06Z");

        assertThat(newSession().updateRequest(CLUSTER, cur -> cur.withEndpointsHeldAt(held))).isTrue();
        assertThat(store.updateRequest(CLUSTER, cur -> cur.withWriterStoppedAt(Lsn.parse("0/3000060")))).isTrue();

        OperatorRequest r = store.read(CLUSTER).request().orElseThrow();
        assertThat(r.endpointsHeldAt()).isEqualTo(held);
        assertThat(r.writerStoppedAt()).isEqualTo(Lsn.parse("0/3000060"));
    }

    @Test
    void updateRequest_changeDeclines_isFalseAndWritesNothing() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));

        assertThat(store.updateRequest(CLUSTER, cur -> null)).isFalse();
        assertThat(store.read(CLUSTER).request()).contains(switchover("2025-01-02T03:04:05Z"));
    }

    @Test
    void updateRequest_nonePending_isFalseAndWritesNothing() {
        ClusterStore store = newSession();

        assertThat(store.updateRequest(CLUSTER, cur -> switchover("2025-01-02T03:04:05Z"))).isFalse();
        assertThat(store.read(CLUSTER).request()).isEmpty();
    }

    @Test
    void clearRequest_pending_removesItAndAllowsANewOne() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));

        store.clearRequest(CLUSTER);
        store.clearRequest(CLUSTER);

        assertThat(store.read(CLUSTER).request()).isEmpty();
        assertThat(newSession().putRequest(CLUSTER, switchover("2025-01-02T03:05:00Z"))).isTrue();
        assertThat(store.read(CLUSTER).request()).contains(switchover("2025-01-02T03:05:00Z"));
    }

    @Test
    void setPaused_toggled_readFollowsIt() {
        ClusterStore store = newSession();
        ClusterStore other = newSession();

        store.setPaused(CLUSTER, true);
        store.setPaused(CLUSTER, true);
        assertThat(other.read(CLUSTER).paused()).isTrue();

        other.setPaused(CLUSTER, false);
        other.setPaused(CLUSTER, false);
        assertThat(store.read(CLUSTER).paused()).isFalse();
    }

    @Test
    void setPaused_sessionEnds_staysPaused() {
        ClusterStore store = newSession();
        store.setPaused(CLUSTER, true);

        endSession(store);

        assertThat(newSession().read(CLUSTER).paused()).isTrue();
    }

    @Test
    void events_noneAppended_isEmpty() {
        assertThat(newSession().events(CLUSTER, 10)).isEmpty();
    }

    @Test
    void appendEvent_fromTwoSessions_eventsOldestFirst() {
        ClusterStore first = newSession();
        ClusterStore second = newSession();

        first.appendEvent(CLUSTER, event(1));
        second.appendEvent(CLUSTER, event(2));
        first.appendEvent(CLUSTER, event(3));

        assertThat(newSession().events(CLUSTER, 10)).containsExactly(event(1), event(2), event(3));
    }

    @Test
    void events_limit_returnsNewestOldestFirst() {
        ClusterStore store = newSession();
        IntStream.rangeClosed(1, 5).forEach(n -> store.appendEvent(CLUSTER, event(n)));

        assertThat(store.events(CLUSTER, 2)).containsExactly(event(4), event(5));
        assertThat(store.events(CLUSTER, 0)).isEmpty();
        assertThatThrownBy(() -> store.events(CLUSTER, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendEvent_beyondKept_keepsTheNewest() {
        ClusterStore store = newSessionKeepingEvents(20);

        IntStream.rangeClosed(1, 45).forEach(n -> store.appendEvent(CLUSTER, event(n)));

        assertThat(store.events(CLUSTER, 100))
                .containsExactlyElementsOf(IntStream.rangeClosed(26, 45).mapToObj(StoreFixtures::event).toList());
        assertThat(store.events(CLUSTER, 3)).containsExactly(event(43), event(44), event(45));
    }

    @Test
    void appendEvent_otherCluster_isNotMixedIn() {
        ClusterStore store = newSession();
        store.appendEvent(CLUSTER, event(1));
        store.appendEvent("payments", event(2));

        assertThat(store.events(CLUSTER, 10)).containsExactly(event(1));
    }

    @Test
    void appendHistory_manyMoreThanEventsKept_keptWholeOldestFirst() {
        ClusterStore store = newSessionKeepingEvents(2);
        List<HistoryEntry> entries = LongStream.rangeClosed(1, 5).mapToObj(StoreFixtures::historyEntry).toList();

        entries.forEach(entry -> store.appendHistory(CLUSTER, entry));

        assertThat(newSession().history(CLUSTER)).containsExactlyElementsOf(entries);
        assertThat(newSession().history("payments")).isEmpty();
    }

    @Test
    void watch_eventAndHistoryAppends_wakeNoOneButPausingDoes() throws Exception {
        ClusterStore store = newSession();
        store.putSpecIfAbsent(spec(CLUSTER));
        store.appendEvent(CLUSTER, event(0));
        store.appendHistory(CLUSTER, historyEntry(1));
        AtomicInteger wakes = new AtomicInteger();
        try (AutoCloseable watch = store.watch(CLUSTER, change -> wakes.incrementAndGet())) {
            int before = quiet(wakes);

            IntStream.rangeClosed(1, 3).forEach(n -> store.appendEvent(CLUSTER, event(n)));
            store.appendHistory(CLUSTER, historyEntry(2));
            store.setPaused(CLUSTER, true);

            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() > before);
            assertThat(quiet(wakes)).isEqualTo(before + 1);
        }
    }

    /** Waits until {@code wakes} has not moved for a while (a watch reports asynchronously); returns it. */
    private static int quiet(AtomicInteger wakes) throws InterruptedException {
        int last;
        do {
            last = wakes.get();
            Thread.sleep(300);
        } while (wakes.get() != last);
        return last;
    }

    @org.junit.jupiter.api.Test
    void holdsLease_onlyTheHoldingSessionInItsName() {
        ClusterStore holder = newSession();
        ClusterStore other = newSession();
        assertThat(holder.holdsLease(CLUSTER, "db-1")).isFalse();
        assertThat(holder.acquireLease(CLUSTER, "db-1")).isTrue();

        assertThat(holder.holdsLease(CLUSTER, "db-1")).isTrue();
        assertThat(holder.holdsLease(CLUSTER, "db-2")).isFalse();
        assertThat(other.holdsLease(CLUSTER, "db-1")).isFalse();

        holder.releaseLease(CLUSTER, "db-1");
        assertThat(holder.holdsLease(CLUSTER, "db-1")).isFalse();
    }

    @Test
    void updateTags_addAndRemove_keptPerResourceInOrderFirstAdded() {
        ClusterStore store = newSession();
        assertThat(store.tags(CLUSTER, "cluster")).isEmpty();

        store.updateTags(CLUSTER, "cluster", t -> with(t, "env", "prod"));
        store.updateTags(CLUSTER, "cluster", t -> with(t, "team", "db"));
        store.updateTags(CLUSTER, "cluster", t -> with(t, "env", "staging"));
        store.updateTags(CLUSTER, "db:db-1", t -> with(t, "role", "writer"));

        assertThat(newSession().tags(CLUSTER, "cluster")).containsExactly(entry("env", "staging"), entry("team", "db"));
        assertThat(newSession().tags(CLUSTER, "db:db-1")).containsExactly(entry("role", "writer"));
        assertThat(newSession().tags("payments", "cluster")).isEmpty();

        java.util.Map<String, String> after = store.updateTags(CLUSTER, "cluster", t -> {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>(t);
            m.remove("env");
            return m;
        });
        assertThat(after).containsExactly(entry("team", "db"));
        assertThat(newSession().tags(CLUSTER, "cluster")).containsExactly(entry("team", "db"));
    }

    @Test
    void updateTags_changeThrows_tagsUnchanged() {
        ClusterStore store = newSession();
        store.updateTags(CLUSTER, "cluster", t -> with(t, "env", "prod"));

        assertThatThrownBy(() -> store.updateTags(CLUSTER, "cluster", t -> {
            throw new IllegalStateException("too many tags");
        })).hasMessageContaining("too many tags");
        assertThat(newSession().tags(CLUSTER, "cluster")).containsExactly(entry("env", "prod"));
    }

    @Test
    void updateTags_twoSessionsConcurrently_neitherLosesKeys() throws Exception {
        ClusterStore a = newSession();
        ClusterStore b = newSession();
        Thread other = new Thread(() -> IntStream.range(0, 20).forEach(i -> b.updateTags(CLUSTER, "cluster",
                t -> with(t, "b" + i, "v"))));
        other.start();
        IntStream.range(0, 20).forEach(i -> a.updateTags(CLUSTER, "cluster", t -> with(t, "a" + i, "v")));
        other.join();

        assertThat(newSession().tags(CLUSTER, "cluster")).hasSize(40);
    }

    @Test
    void watch_tagChanges_wakeNoOne() throws Exception {
        ClusterStore store = newSession();
        store.putSpecIfAbsent(spec(CLUSTER));
        AtomicInteger wakes = new AtomicInteger();
        try (AutoCloseable watch = store.watch(CLUSTER, change -> wakes.incrementAndGet())) {
            int before = quiet(wakes);

            store.updateTags(CLUSTER, "cluster", t -> with(t, "env", "prod"));
            store.updateTags(CLUSTER, "db:db-1", t -> with(t, "env", "prod"));
            store.setPaused(CLUSTER, true);

            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() > before);
            assertThat(quiet(wakes)).isEqualTo(before + 1);
        }
    }

    private static io.multiaz.model.SubnetGroup group(String name, String description) {
        return new io.multiaz.model.SubnetGroup(name, description, List.of(
                new io.multiaz.model.SubnetGroup.Subnet("subnet-1", "az-a"),
                new io.multiaz.model.SubnetGroup.Subnet("subnet-2", "az-b")), java.time.Instant.parse("2025-01-02T03:04:05Z"));
    }

    @Test
    void createSubnetGroup_new_storedAndListedByName() {
        ClusterStore store = newSession();

        assertThat(store.createSubnetGroup(group("zeta", "z"))).isTrue();
        assertThat(store.createSubnetGroup(group("alpha", "a"))).isTrue();

        assertThat(newSession().subnetGroup("zeta")).contains(group("zeta", "z"));
        assertThat(newSession().subnetGroup("nope")).isEmpty();
        assertThat(newSession().subnetGroups()).containsExactly(group("alpha", "a"), group("zeta", "z"));
    }

    @Test
    void createSubnetGroup_nameTaken_isFalseAndKeepsFirst() {
        ClusterStore store = newSession();
        store.createSubnetGroup(group("web", "first"));

        assertThat(newSession().createSubnetGroup(group("web", "second"))).isFalse();
        assertThat(store.subnetGroup("web")).contains(group("web", "first"));
    }

    @Test
    void deleteSubnetGroup_existingThenAgain_trueThenFalse() {
        ClusterStore store = newSession();
        assertThat(store.subnetGroups()).isEmpty();
        store.createSubnetGroup(group("web", "w"));

        assertThat(newSession().deleteSubnetGroup("web")).isTrue();
        assertThat(store.deleteSubnetGroup("web")).isFalse();
        assertThat(store.subnetGroup("web")).isEmpty();
        assertThat(store.subnetGroups()).isEmpty();
    }

    private static java.util.Map<String, String> with(java.util.Map<String, String> tags, String key, String value) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(tags);
        m.put(key, value);
        return m;
    }

    private static io.multiaz.model.ParameterGroup paramGroup(String name, String description) {
        return new io.multiaz.model.ParameterGroup(name, "postgres15", description, java.util.Map.of("work_mem",
                new io.multiaz.model.ParameterGroup.Setting("8192", io.multiaz.model.ParameterGroup.ApplyMethod.IMMEDIATE)),
                java.time.Instant.parse("2025-01-02T03:04:05Z"));
    }

    @Test
    void createParameterGroup_newThenTaken_storedListedByNameAndFirstKept() {
        ClusterStore store = newSession();
        assertThat(store.createParameterGroup(paramGroup("zeta", "z"))).isTrue();
        assertThat(store.createParameterGroup(paramGroup("alpha", "a"))).isTrue();

        assertThat(newSession().createParameterGroup(paramGroup("zeta", "second"))).isFalse();
        assertThat(newSession().parameterGroup("zeta")).contains(paramGroup("zeta", "z"));
        assertThat(newSession().parameterGroup("nope")).isEmpty();
        assertThat(newSession().parameterGroups()).containsExactly(paramGroup("alpha", "a"), paramGroup("zeta", "z"));
    }

    @Test
    void updateParameterGroup_existing_storedForOtherSessions_missingIsEmpty_throwingChangesNothing() {
        ClusterStore store = newSession();
        store.createParameterGroup(paramGroup("web", "w"));
        var pending = new io.multiaz.model.ParameterGroup.Setting("200",
                io.multiaz.model.ParameterGroup.ApplyMethod.PENDING_REBOOT);

        var after = store.updateParameterGroup("web", g -> g.withParameters(java.util.Map.of("max_connections", pending)));

        assertThat(after).hasValueSatisfying(g -> assertThat(g.parameters()).containsOnlyKeys("max_connections"));
        assertThat(newSession().parameterGroup("web")).isEqualTo(after);
        assertThat(store.updateParameterGroup("nope", g -> g)).isEmpty();
        assertThatThrownBy(() -> store.updateParameterGroup("web", g -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(newSession().parameterGroup("web")).isEqualTo(after);
    }

    @Test
    void deleteParameterGroup_existingThenAgain_trueThenFalse() {
        ClusterStore store = newSession();
        store.createParameterGroup(paramGroup("web", "w"));

        assertThat(newSession().deleteParameterGroup("web")).isTrue();
        assertThat(store.deleteParameterGroup("web")).isFalse();
        assertThat(store.parameterGroups()).isEmpty();
    }

    private static io.multiaz.model.DbClusterSnapshot clusterSnapshot(String id, String status) {
        return new io.multiaz.model.DbClusterSnapshot(id, "orders", "postgres", "16.4",
                Instant.parse("2025-01-02T03:04:05Z"), Instant.parse("2025-01-01T00:00:00Z"), "dbadmin", 5432,
                List.of("az-a", "az-b", "az-c"), "az-a", "127.0.0.1", status, 42L << 20, "manual");
    }

    @Test
    void createClusterSnapshot_newThenTaken_storedListedByIdAndFirstKept() {
        ClusterStore store = newSession();
        assertThat(store.createClusterSnapshot(clusterSnapshot("zeta", "creating"))).isTrue();
        assertThat(store.createClusterSnapshot(clusterSnapshot("alpha", "available"))).isTrue();

        assertThat(newSession().createClusterSnapshot(clusterSnapshot("zeta", "available"))).isFalse();
        assertThat(newSession().clusterSnapshot("zeta")).contains(clusterSnapshot("zeta", "creating"));
        assertThat(newSession().clusterSnapshot("nope")).isEmpty();
        assertThat(newSession().clusterSnapshots()).containsExactly(clusterSnapshot("alpha", "available"),
                clusterSnapshot("zeta", "creating"));
    }

    @Test
    void updateClusterSnapshot_existing_storedForOtherSessions_missingIsEmpty_throwingChangesNothing() {
        ClusterStore store = newSession();
        store.createClusterSnapshot(clusterSnapshot("final", "creating"));

        var after = store.updateClusterSnapshot("final", s -> s.available("16.5", 3L << 30));

        assertThat(after).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo("available");
            assertThat(s.allocatedStorage()).isEqualTo(3);
        });
        assertThat(newSession().clusterSnapshot("final")).isEqualTo(after);
        assertThat(store.updateClusterSnapshot("nope", s -> s)).isEmpty();
        assertThatThrownBy(() -> store.updateClusterSnapshot("final", s -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(newSession().clusterSnapshot("final")).isEqualTo(after);
    }

    @Test
    void deleteClusterSnapshot_existingThenAgain_trueThenFalse() {
        ClusterStore store = newSession();
        store.createClusterSnapshot(clusterSnapshot("final", "deleting"));

        assertThat(newSession().deleteClusterSnapshot("final")).isTrue();
        assertThat(store.deleteClusterSnapshot("final")).isFalse();
        assertThat(store.clusterSnapshots()).isEmpty();
    }
}
