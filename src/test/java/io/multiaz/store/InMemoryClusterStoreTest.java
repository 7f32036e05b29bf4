package io.multiaz.store;

import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.Lease;
import org.junit.jupiter.api.Test;

import static io.multiaz.store.StoreFixtures.reader;
import static io.multiaz.store.StoreFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fakes pass the same contracts as {@link CuratorClusterStore} and {@link CuratorClusters}, plus their simulation controls. */
final class InMemoryClusterStoreTest implements ClusterStoreRequestsContract, ClustersContract {
    private final InMemoryEnsemble ensemble = new InMemoryEnsemble();

    @Override
    public ClusterStore newSession() {
        return new InMemoryClusterStore(ensemble);
    }

    @Override
    public ClusterStore newSessionKeepingEvents(int eventsKept) {
        return new InMemoryClusterStore(ensemble, eventsKept);
    }

    @Override
    public void endSession(ClusterStore store) {
        ((InMemoryClusterStore) store).expireSession();
    }

    @Override
    public RdsRecords records() {
        return ensemble.records();
    }

    @Test
    void expireSession_holdingLease_leaseLeftForNewSessionToTakeOver() {
        InMemoryClusterStore store = new InMemoryClusterStore(ensemble);
        InMemoryClusterStore other = new InMemoryClusterStore(ensemble);
        ensemble.clusters().create(spec(CLUSTER));
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
        InMemoryClusterStore store = new InMemoryClusterStore(ensemble);

        store.setConnected(false);

        assertThat(store.isConnected()).isFalse();
        assertThatThrownBy(() -> store.read(CLUSTER)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.acquireLease(CLUSTER, "db-1")).isInstanceOf(StoreException.class);
        store.setConnected(true);
        assertThat(store.acquireLease(CLUSTER, "db-1")).isTrue();
    }

    @Test
    void constructor_noEnsemble_getsItsOwn() {
        InMemoryClusterStore store = new InMemoryClusterStore();
        store.ensemble().clusters().create(spec(CLUSTER));

        assertThat(new InMemoryClusterStore(store.ensemble()).read(CLUSTER).spec()).contains(spec(CLUSTER));
        assertThat(new InMemoryClusterStore().read(CLUSTER).spec()).isEmpty();
    }
}
