package io.multiaz.store;

import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.Fence;
import io.multiaz.model.Lease;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.multiaz.store.StoreFixtures.reader;
import static io.multiaz.store.StoreFixtures.spec;
import static io.multiaz.store.StoreFixtures.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link ClusterStore} does with who writes a cluster (bootstrap, lease, fence), the
 * members' records and its session, run against {@link CuratorClusterStore} on an in-process
 * ZooKeeper and against {@link InMemoryClusterStore}, so the fake stays faithful. Each store a test
 * opens is one agent's session on the same backing store. Requests, pause, logs and the watch are
 * {@link ClusterStoreRequestsContract}'s; the clusters' lifecycle {@link ClustersContract}'s; the RDS
 * repositories {@link RecordsContract}'s.
 */
interface ClusterStoreContract {
    String CLUSTER = "orders";

    /** A new session (agent) on the backing store shared by this test. */
    ClusterStore newSession();

    /** As {@link #newSession()}, keeping the newest {@code eventsKept} events per cluster. */
    ClusterStore newSessionKeepingEvents(int eventsKept);

    /** Ends {@code store}'s session the way a crash or expiry would, without calling its close(). */
    void endSession(ClusterStore store);

    /** The clusters and RDS repositories on the backing store shared by this test. */
    RdsRecords records();

    @Test
    default void read_emptyCluster_returnsNothing() {
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
    default void claimBootstrap_twoSessions_onlyOneWins() {
        ClusterStore first = newSession();
        ClusterStore second = newSession();

        assertThat(first.claimBootstrap(CLUSTER, "db-1")).isTrue();
        assertThat(second.claimBootstrap(CLUSTER, "db-2")).isFalse();
        assertThat(second.bootstrap(CLUSTER)).contains(new Bootstrap("db-1", false, null));
    }

    @Test
    default void claimBootstrap_ownerRetries_isTrueAgain() {
        ClusterStore store = newSession();
        store.claimBootstrap(CLUSTER, "db-1");

        assertThat(newSession().claimBootstrap(CLUSTER, "db-1")).isTrue();
    }

    @Test
    default void completeBootstrap_byOwner_marksItComplete() {
        ClusterStore store = newSession();
        store.claimBootstrap(CLUSTER, "db-1");

        store.completeBootstrap(CLUSTER, "db-1", "7301234567890123456");

        assertThat(newSession().bootstrap(CLUSTER)).contains(new Bootstrap("db-1", true, "7301234567890123456"));
    }

    @Test
    default void completeBootstrap_byNonOwner_throwsAndLeavesRecord() {
        ClusterStore owner = newSession();
        ClusterStore other = newSession();
        owner.claimBootstrap(CLUSTER, "db-1");

        assertThatThrownBy(() -> other.completeBootstrap(CLUSTER, "db-2", "1"))
                .isInstanceOf(StoreException.class).hasMessageContaining("owned by db-1");
        assertThat(owner.bootstrap(CLUSTER)).contains(new Bootstrap("db-1", false, null));
    }

    @Test
    default void completeBootstrap_unclaimed_throws() {
        assertThatThrownBy(() -> newSession().completeBootstrap(CLUSTER, "db-1", "1"))
                .isInstanceOf(StoreException.class).hasMessageContaining("claim it first");
    }

    @Test
    default void acquireLease_twoSessions_onlyOneHoldsIt() {
        ClusterStore first = newSession();
        ClusterStore second = newSession();

        assertThat(first.acquireLease(CLUSTER, "db-1")).isTrue();
        assertThat(second.acquireLease(CLUSTER, "db-2")).isFalse();

        assertThat(first.read(CLUSTER).lease()).contains(new Lease("db-1", true));
        assertThat(second.read(CLUSTER).lease()).contains(new Lease("db-1", false));
    }

    @Test
    default void acquireLease_heldBySameSession_isTrueAgain() {
        ClusterStore store = newSession();
        store.acquireLease(CLUSTER, "db-1");

        assertThat(store.acquireLease(CLUSTER, "db-1")).isTrue();
        assertThat(store.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    default void acquireLease_sameMemberFromNewSession_takesItOver() {
        ClusterStore oldSession = newSession();
        ClusterStore newSession = newSession();
        oldSession.acquireLease(CLUSTER, "db-1");

        assertThat(newSession.acquireLease(CLUSTER, "db-1")).isTrue();

        assertThat(newSession.read(CLUSTER).lease()).contains(new Lease("db-1", true));
        assertThat(oldSession.read(CLUSTER).lease()).contains(new Lease("db-1", false));
    }

    @Test
    default void acquireLease_takenOverSessionEnds_leaseStays() {
        ClusterStore oldSession = newSession();
        ClusterStore newSession = newSession();
        oldSession.acquireLease(CLUSTER, "db-1");
        newSession.acquireLease(CLUSTER, "db-1");

        endSession(oldSession);

        assertThat(newSession.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    default void releaseLease_byNonHolder_isNoOp() {
        ClusterStore holder = newSession();
        ClusterStore other = newSession();
        holder.acquireLease(CLUSTER, "db-1");

        other.releaseLease(CLUSTER, "db-2");
        other.releaseLease(CLUSTER, "db-1");

        assertThat(holder.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    default void releaseLease_byHolder_letsAnotherAcquire() {
        ClusterStore holder = newSession();
        ClusterStore other = newSession();
        holder.acquireLease(CLUSTER, "db-1");

        holder.releaseLease(CLUSTER, "db-1");

        assertThat(holder.read(CLUSTER).lease()).isEmpty();
        assertThat(other.acquireLease(CLUSTER, "db-2")).isTrue();
    }

    @Test
    default void acquireLease_holderSessionEnds_leaseVanishes() {
        ClusterStore holder = newSession();
        ClusterStore other = newSession();
        holder.acquireLease(CLUSTER, "db-1");

        endSession(holder);

        await().atMost(Duration.ofSeconds(10)).until(() -> other.read(CLUSTER).lease().isEmpty());
        assertThat(other.acquireLease(CLUSTER, "db-2")).isTrue();
    }

    @Test
    default void writeFence_versionChecks_onlyTheExpectedVersionWins() {
        ClusterStore store = newSession();

        assertThat(store.writeFence(CLUSTER, new Fence("db-1", 1, -1), -1)).isTrue();
        assertThat(store.writeFence(CLUSTER, new Fence("db-2", 1, -1), -1)).isFalse();
        assertThat(store.fence(CLUSTER)).contains(new Fence("db-1", 1, 0));

        assertThat(store.writeFence(CLUSTER, new Fence("db-2", 2, -1), 0)).isTrue();
        assertThat(store.writeFence(CLUSTER, new Fence("db-3", 2, -1), 0)).isFalse();
        assertThat(newSession().fence(CLUSTER)).contains(new Fence("db-2", 2, 1));
    }

    @Test
    default void writeFence_sameWriteRetried_isTrue() {
        ClusterStore store = newSession();
        store.writeFence(CLUSTER, new Fence("db-1", 1, -1), -1);
        store.writeFence(CLUSTER, new Fence("db-2", 2, -1), 0);

        assertThat(store.writeFence(CLUSTER, new Fence("db-2", 2, -1), 0)).isTrue();
        assertThat(store.writeFence(CLUSTER, new Fence("db-1", 1, -1), -1)).isFalse();
        assertThat(store.fence(CLUSTER)).contains(new Fence("db-2", 2, 1));
    }

    @Test
    default void writeFence_expectingVersionOfMissingFence_isFalse() {
        assertThat(newSession().writeFence(CLUSTER, new Fence("db-1", 1, -1), 0)).isFalse();
    }

    @Test
    default void publishMember_twice_storesLatestState() {
        ClusterStore store = newSession();
        store.publishMember(CLUSTER, writer("db-1", "promoting: lease of db-2 expired"));

        store.publishMember(CLUSTER, writer("db-1", "no action: I am db-1, writer holding the lease"));
        store.publishMember(CLUSTER, reader("db-2"));

        assertThat(newSession().read(CLUSTER).members()).containsOnly(
                entry("db-1", writer("db-1", "no action: I am db-1, writer holding the lease")),
                entry("db-2", reader("db-2")));
    }

    @Test
    default void publishMember_sameMemberFromNewSession_replacesOldRecord() {
        ClusterStore oldSession = newSession();
        ClusterStore newSession = newSession();
        oldSession.publishMember(CLUSTER, writer("db-1", "old"));

        newSession.publishMember(CLUSTER, writer("db-1", "new"));
        oldSession.removeMember(CLUSTER, "db-1");
        endSession(oldSession);

        assertThat(newSession.read(CLUSTER).members()).containsOnly(entry("db-1", writer("db-1", "new")));
    }

    @Test
    default void publishMember_sessionEnds_memberDisappears() {
        ClusterStore leaving = newSession();
        ClusterStore staying = newSession();
        leaving.publishMember(CLUSTER, reader("db-2"));
        staying.publishMember(CLUSTER, writer("db-1", "r"));

        endSession(leaving);

        await().atMost(Duration.ofSeconds(10)).until(() -> !staying.read(CLUSTER).members().containsKey("db-2"));
        assertThat(staying.read(CLUSTER).members()).containsOnlyKeys("db-1");
    }

    @Test
    default void removeMember_ownRecord_removesIt() {
        ClusterStore store = newSession();
        store.publishMember(CLUSTER, reader("db-2"));

        store.removeMember(CLUSTER, "db-2");
        store.removeMember(CLUSTER, "db-3");

        assertThat(store.read(CLUSTER).members()).isEmpty();
    }

    @Test
    default void close_twice_dropsEphemeralsAndRefusesCalls() {
        ClusterStore store = newSession();
        ClusterStore other = newSession();
        records().clusters().create(spec(CLUSTER));
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
    default void isConnected_openSession_isTrue() {
        assertThat(newSession().isConnected()).isTrue();
    }

    @Test
    default void holdsLease_onlyTheHoldingSessionInItsName() {
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
}
