package io.multiaz.store;

import io.multiaz.model.ClusterSnapshot;

import io.multiaz.model.Lease;
import org.junit.jupiter.api.Test;

import static io.multiaz.store.StoreFixtures.reader;
import static io.multiaz.store.StoreFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake passes the same contract as {@link CuratorClusterStore}, plus its simulation controls. */
final class InMemoryClusterStoreTest extends ClusterStoreContract {
    private final InMemoryClusterStore.Backend backend = new InMemoryClusterStore.Backend();

    @Override
    ClusterStore newSession() {
        return new InMemoryClusterStore(backend);
    }

    @Override
    ClusterStore newSessionKeepingEvents(int eventsKept) {
        return new InMemoryClusterStore(backend, eventsKept);
    }

    @Override
    void endSession(ClusterStore store) {
        ((InMemoryClusterStore) store).expireSession();
    }

    @Test
    void expireSession_holdingLease_leaseLeftForNewSessionToTakeOver() {
        InMemoryClusterStore store = new InMemoryClusterStore(backend);
        InMemoryClusterStore other = new InMemoryClusterStore(backend);
        store.putSpecIfAbsent(spec(CLUSTER));
        store.acquireLease(CLUSTER, "db-1");
        store.publishMember(CLUSTER, reader("db-1"));
        long firstSession = store.sessionId();

        store.expireSession();

        assertThat(store.sessionId()).isNotEqualTo(firstSession);
        ClusterSnapshot snapshot = other.read(CLUSTER);
        assertThat(snapshot.lease()).isEmpty();
        assertThat(snapshot.members()).isEmpty();
        assertThat(snapshot.spec()).contains(spec(CLUSTER));
        assertThat(store.acquireLease(CLUSTER, "db-1")).isTrue();
        assertThat(store.read(CLUSTER).lease()).contains(new Lease("db-1", true));
    }

    @Test
    void setConnected_false_operationsThrowUntilReconnected() {
        InMemoryClusterStore store = new InMemoryClusterStore(backend);

        store.setConnected(false);

        assertThat(store.isConnected()).isFalse();
        assertThatThrownBy(() -> store.read(CLUSTER)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.acquireLease(CLUSTER, "db-1")).isInstanceOf(StoreException.class);
        store.setConnected(true);
        assertThat(store.acquireLease(CLUSTER, "db-1")).isTrue();
    }

    @Test
    void constructor_noBackend_getsItsOwn() {
        InMemoryClusterStore store = new InMemoryClusterStore();
        store.putSpecIfAbsent(spec(CLUSTER));

        assertThat(new InMemoryClusterStore(store.backend()).clusters()).containsExactly(CLUSTER);
        assertThat(new InMemoryClusterStore().clusters()).isEmpty();
    }
}
