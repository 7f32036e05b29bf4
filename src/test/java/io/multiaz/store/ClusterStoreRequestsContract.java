package io.multiaz.store;

import io.multiaz.model.HistoryEntry;
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
import static io.multiaz.store.StoreFixtures.spec;
import static io.multiaz.store.StoreFixtures.switchover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link ClusterStore} does with the operator's request and pause, the event and history
 * logs, and its watch; the sessions are {@link ClusterStoreContract}'s.
 */
interface ClusterStoreRequestsContract extends ClusterStoreContract {
    @Test
    default void putRequest_nonePending_storesIt() {
        ClusterStore store = newSession();

        assertThat(store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"))).isTrue();

        assertThat(newSession().read(CLUSTER).request()).contains(switchover("2025-01-02T03:04:05Z"));
    }

    @Test
    default void putRequest_anotherPending_isFalseAndKeepsFirst() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));
        OperatorRequest failover = new OperatorRequest(OperatorRequest.Kind.FAILOVER, "db-1", null, true,
                Instant.parse("2025-01-02T03:04:06Z"), null);

        assertThat(newSession().putRequest(CLUSTER, failover)).isFalse();
        assertThat(store.read(CLUSTER).request()).contains(switchover("2025-01-02T03:04:05Z"));
    }

    @Test
    default void putRequest_sameRequestRetried_isTrue() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));

        assertThat(store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"))).isTrue();
    }

    @Test
    default void updateRequest_pending_replacesIt() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));
        OperatorRequest stopped = switchover("2025-01-02T03:04:05Z").withWriterStoppedAt(Lsn.parse("0/3000060"));

        assertThat(newSession().updateRequest(CLUSTER, cur -> stopped)).isTrue();

        assertThat(store.read(CLUSTER).request()).contains(stopped);
        assertThat(store.read(CLUSTER).request().orElseThrow().writerStoppedAt()).isEqualTo(Lsn.parse("0/3000060"));
    }

    @Test
    default void updateRequest_twoWritersEachChangeTheirField_neitherIsLost() {
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
    default void updateRequest_changeDeclines_isFalseAndWritesNothing() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));

        assertThat(store.updateRequest(CLUSTER, cur -> null)).isFalse();
        assertThat(store.read(CLUSTER).request()).contains(switchover("2025-01-02T03:04:05Z"));
    }

    @Test
    default void updateRequest_nonePending_isFalseAndWritesNothing() {
        ClusterStore store = newSession();

        assertThat(store.updateRequest(CLUSTER, cur -> switchover("2025-01-02T03:04:05Z"))).isFalse();
        assertThat(store.read(CLUSTER).request()).isEmpty();
    }

    @Test
    default void clearRequest_pending_removesItAndAllowsANewOne() {
        ClusterStore store = newSession();
        store.putRequest(CLUSTER, switchover("2025-01-02T03:04:05Z"));

        store.clearRequest(CLUSTER);
        store.clearRequest(CLUSTER);

        assertThat(store.read(CLUSTER).request()).isEmpty();
        assertThat(newSession().putRequest(CLUSTER, switchover("2025-01-02T03:05:00Z"))).isTrue();
        assertThat(store.read(CLUSTER).request()).contains(switchover("2025-01-02T03:05:00Z"));
    }

    @Test
    default void setPaused_toggled_readFollowsIt() {
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
    default void setPaused_sessionEnds_staysPaused() {
        ClusterStore store = newSession();
        store.setPaused(CLUSTER, true);

        endSession(store);

        assertThat(newSession().read(CLUSTER).paused()).isTrue();
    }

    @Test
    default void events_noneAppended_isEmpty() {
        assertThat(newSession().events(CLUSTER, 10)).isEmpty();
    }

    @Test
    default void appendEvent_fromTwoSessions_eventsOldestFirst() {
        ClusterStore first = newSession();
        ClusterStore second = newSession();

        first.appendEvent(CLUSTER, event(1));
        second.appendEvent(CLUSTER, event(2));
        first.appendEvent(CLUSTER, event(3));

        assertThat(newSession().events(CLUSTER, 10)).containsExactly(event(1), event(2), event(3));
    }

    @Test
    default void events_limit_returnsNewestOldestFirst() {
        ClusterStore store = newSession();
        IntStream.rangeClosed(1, 5).forEach(n -> store.appendEvent(CLUSTER, event(n)));

        assertThat(store.events(CLUSTER, 2)).containsExactly(event(4), event(5));
        assertThat(store.events(CLUSTER, 0)).isEmpty();
        assertThatThrownBy(() -> store.events(CLUSTER, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void appendEvent_beyondKept_keepsTheNewest() {
        ClusterStore store = newSessionKeepingEvents(20);

        IntStream.rangeClosed(1, 45).forEach(n -> store.appendEvent(CLUSTER, event(n)));

        assertThat(store.events(CLUSTER, 100))
                .containsExactlyElementsOf(IntStream.rangeClosed(26, 45).mapToObj(StoreFixtures::event).toList());
        assertThat(store.events(CLUSTER, 3)).containsExactly(event(43), event(44), event(45));
    }

    @Test
    default void appendEvent_otherCluster_isNotMixedIn() {
        ClusterStore store = newSession();
        store.appendEvent(CLUSTER, event(1));
        store.appendEvent("payments", event(2));

        assertThat(store.events(CLUSTER, 10)).containsExactly(event(1));
    }

    @Test
    default void appendHistory_manyMoreThanEventsKept_keptWholeOldestFirst() {
        ClusterStore store = newSessionKeepingEvents(2);
        List<HistoryEntry> entries = LongStream.rangeClosed(1, 5).mapToObj(StoreFixtures::historyEntry).toList();

        entries.forEach(entry -> store.appendHistory(CLUSTER, entry));

        assertThat(newSession().history(CLUSTER)).containsExactlyElementsOf(entries);
        assertThat(newSession().history("payments")).isEmpty();
    }

    @Test
    default void watch_eventAndHistoryAppends_wakeNoOneButPausingDoes() throws Exception {
        ClusterStore store = newSession();
        records().clusters().create(spec(CLUSTER));
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

    @Test
    default void watch_tagChanges_wakeNoOne() throws Exception {
        ClusterStore store = newSession();
        records().clusters().create(spec(CLUSTER));
        AtomicInteger wakes = new AtomicInteger();
        try (AutoCloseable watch = store.watch(CLUSTER, change -> wakes.incrementAndGet())) {
            int before = quiet(wakes);

            records().tags().update(CLUSTER, "cluster", t -> with(t, "env", "prod"));
            records().tags().update(CLUSTER, "db:db-1", t -> with(t, "env", "prod"));
            store.setPaused(CLUSTER, true);

            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() > before);
            assertThat(quiet(wakes)).isEqualTo(before + 1);
        }
    }

    private static java.util.Map<String, String> with(java.util.Map<String, String> tags, String key, String value) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(tags);
        m.put(key, value);
        return m;
    }
}
