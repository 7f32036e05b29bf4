package io.multiaz.agent.ha;

import io.multiaz.engine.InMemoryDatabaseEngine;
import io.multiaz.ha.Action;
import io.multiaz.ha.Decision;
import io.multiaz.ha.HaPolicy;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.MemberState;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import io.multiaz.store.InMemoryClusterStore;
import io.multiaz.store.InMemoryEnsemble;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Three HA loops over the in-memory store and engine: bootstrap, clone, follow, crash restart. */
final class InstanceSupervisorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final ClusterSpec SPEC = new ClusterSpec("demo", "postgres", 1, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500),
            new InstanceSpec("demo-2", "az-b", "127.0.0.1", 6510),
            new InstanceSpec("demo-3", "az-c", "127.0.0.1", 6520)),
            Credentials.generate("dbadmin", new SecureRandom()), Map.of());

    private final InMemoryEnsemble backend = new InMemoryEnsemble();
    private final InMemoryDatabaseEngine.Network network = new InMemoryDatabaseEngine.Network();
    private final List<InMemoryDatabaseEngine> engines = new ArrayList<>();
    private final List<InMemoryClusterStore> stores = new ArrayList<>();
    private final List<InstanceSupervisor> supervisors = new ArrayList<>();

    private InstanceSupervisorTest() {
        for (InstanceSpec i : SPEC.instances()) {
            InMemoryDatabaseEngine engine = new InMemoryDatabaseEngine(i.name(), network);
            InMemoryClusterStore store = new InMemoryClusterStore(backend);
            backend.clusters().create(SPEC);
            engines.add(engine);
            stores.add(store);
            supervisors.add(new InstanceSupervisor(SPEC, i.name(), engine, store, new HaPolicy(), CLOCK,
                    "http://127.0.0.1:" + (i.port() + 1)));
        }
    }

    private void rounds(int n) {
        for (int r = 0; r < n; r++) {
            supervisors.forEach(InstanceSupervisor::cycle);
        }
    }

    private Map<String, MemberState> members() {
        return stores.get(0).read("demo").members();
    }

    @Test
    void cycle_threeFreshInstances_oneBootstrapsAndTwoCloneAndStream() {
        rounds(12);
        assertThat(engines.stream().mapToInt(InMemoryDatabaseEngine::initdbRuns).sum()).isEqualTo(1);
        Map<String, MemberState> members = members();
        assertThat(members).hasSize(3);
        assertThat(members.values()).filteredOn(m -> m.role() == Role.WRITER).hasSize(1);
        assertThat(members.values()).filteredOn(m -> m.role() == Role.READER && m.streaming()).hasSize(2)
                .allSatisfy(m -> assertThat(m.lagBytes()).isZero());
        assertThat(members.values()).allSatisfy(m -> assertThat(m.state()).isEqualTo(ServerState.RUNNING));
        String writer = stores.get(0).read("demo").lease().orElseThrow().holder();
        assertThat(members.get(writer).syncStandbyNames()).startsWith("ANY 1 (");
        assertThat(members.get(writer).reason()).contains("writer holding the lease");
        assertThat(stores.get(0).read("demo").bootstrap().orElseThrow().complete()).isTrue();
        assertThat(stores.get(0).read("demo").fence().orElseThrow().writer()).isEqualTo(writer);
    }

    @Test
    void cycle_standbyServerCrashed_restartsItAsStandbyOfTheWriter() {
        rounds(12);
        String writer = stores.get(0).read("demo").lease().orElseThrow().holder();
        int victim = writer.equals("demo-2") ? 2 : 1;
        engines.get(victim).crash();
        Decision d = supervisors.get(victim).cycle();
        assertThat(d.action()).isInstanceOf(Action.StartAsStandby.class);
        assertThat(d.reason()).contains("starting as standby of writer " + writer);
        rounds(2);
        assertThat(members().get(SPEC.instances().get(victim).name()).streaming()).isTrue();
    }

    @Test
    void cycle_writerServerCrashed_restartsItAsWriterKeepingTheLease() {
        rounds(12);
        String writer = stores.get(0).read("demo").lease().orElseThrow().holder();
        int w = SPEC.instances().indexOf(SPEC.instance(writer).orElseThrow());
        engines.get(w).crash();
        Decision d = supervisors.get(w).cycle();
        assertThat(d.action()).isInstanceOf(Action.StartAsWriter.class);
        rounds(2);
        assertThat(members().get(writer).role()).isEqualTo(Role.WRITER);
        assertThat(members().get(writer).state()).isEqualTo(ServerState.RUNNING);
    }

    @Test
    void requestRestart_publishesRestartingAtTheNextCycle_thenRunsAgain() {
        rounds(12);
        String writer = stores.get(0).read("demo").lease().orElseThrow().holder();
        int r = writer.equals("demo-2") ? 2 : 1;
        String reader = SPEC.instances().get(r).name();

        var announced = supervisors.get(r).requestRestart();

        assertThat(announced).isNotDone();
        supervisors.get(r).cycle();
        assertThat(announced).isDone();
        assertThat(members().get(reader).restarting()).isTrue();
        rounds(3);
        assertThat(members().get(reader).restarting()).isFalse();
        assertThat(members().get(reader).state()).isEqualTo(ServerState.RUNNING);
        assertThat(members().get(reader).streaming()).isTrue();
    }

    @Test
    void cycle_writerAgentRestartsBeforeSessionExpiry_takesOverItsOwnLease() {
        rounds(12);
        String writer = stores.get(0).read("demo").lease().orElseThrow().holder();
        int w = SPEC.instances().indexOf(SPEC.instance(writer).orElseThrow());
        // a new agent process: new store session, same engine (data directory), old session still alive
        InMemoryClusterStore fresh = new InMemoryClusterStore(backend);
        InstanceSupervisor restarted = new InstanceSupervisor(SPEC, writer, engines.get(w), fresh, new HaPolicy(),
                CLOCK, "http://x");
        Decision d = restarted.cycle();
        assertThat(d.action()).isInstanceOf(Action.AcquireLease.class);
        assertThat(d.reason()).contains("my previous session left");
        restarted.cycle();
        assertThat(fresh.read("demo").lease().orElseThrow().mine()).isTrue();
    }

    @Test
    void cycle_storeSuspended_decidesNothingUntilReconnectedOrLost() {
        rounds(12);
        stores.get(1).setConnected(false);
        engines.get(1).crash();
        Decision d = supervisors.get(1).cycle();
        assertThat(d.action()).isInstanceOf(Action.NoAction.class);
        assertThat(d.reason()).contains("session is suspended");

        supervisors.get(1).sessionLost(true);
        Decision lost = supervisors.get(1).cycle();
        assertThat(lost.action()).isInstanceOf(Action.NoAction.class);
        assertThat(lost.reason()).contains("coordination store is unreachable");
    }

    @Test
    void cycle_writerSessionLost_demotes() {
        rounds(12);
        String writer = stores.get(0).read("demo").lease().orElseThrow().holder();
        int w = SPEC.instances().indexOf(SPEC.instance(writer).orElseThrow());
        stores.get(w).setConnected(false);
        supervisors.get(w).sessionLost(true);
        assertThat(supervisors.get(w).cycle().action()).isInstanceOf(Action.Demote.class);
    }

    private String writer() {
        return stores.get(0).read("demo").lease().orElseThrow().holder();
    }

    @Test
    void cycle_instanceAddedToRunningCluster_clonesAndWriterAddsItsSlotAndSyncName() {
        rounds(12);
        InstanceSpec added = new InstanceSpec("demo-4", "az-a", "127.0.0.1", 6530);
        backend.clusters().update("demo", s -> s.withInstances(java.util.stream.Stream.concat(
                s.instances().stream(), java.util.stream.Stream.of(added)).toList()));
        InMemoryDatabaseEngine engine = new InMemoryDatabaseEngine(added.name(), network);
        InMemoryClusterStore store = new InMemoryClusterStore(backend);
        engines.add(engine);
        stores.add(store);
        supervisors.add(new InstanceSupervisor(stores.get(0).read("demo").spec().orElseThrow(), added.name(), engine,
                store, new HaPolicy(), CLOCK, "http://x"));

        rounds(8);

        MemberState writer = members().get(writer());
        assertThat(writer.syncStandbyNames()).contains("\"demo-4\"");
        int w = SPEC.instances().indexOf(SPEC.instance(writer()).orElseThrow());
        assertThat(engines.get(w).observe().slots()).contains("demo_4");
        assertThat(members().get("demo-4").streaming()).isTrue();
    }

    @Test
    void cycle_instanceMovedToRetiring_writerDropsItsSlotAndItWaitsToBeStopped() {
        rounds(12);
        String writer = writer();
        String leaving = SPEC.others(writer).get(1).name();
        backend.clusters().update("demo", s -> s.withInstances(s.others(leaving))
                .withRds(s.rds().withRetiring(List.of(s.instance(leaving).orElseThrow()))));

        rounds(2);

        int w = SPEC.instances().indexOf(SPEC.instance(writer).orElseThrow());
        assertThat(engines.get(w).observe().slots()).doesNotContain(leaving.replace('-', '_')).hasSize(1);
        assertThat(members().get(writer).syncStandbyNames()).doesNotContain(leaving);
        int l = SPEC.instances().indexOf(SPEC.instance(leaving).orElseThrow());
        Decision d = supervisors.get(l).cycle();
        assertThat(d.action()).isInstanceOf(Action.NoAction.class);
        assertThat(d.reason()).contains("I am no longer an instance of cluster demo");
    }

    @Test
    void cycle_instanceRemovedFromSpec_neverPublishesItsRecordAgain() {
        rounds(12);
        String leaving = SPEC.others(writer()).get(1).name();
        int l = SPEC.instances().indexOf(SPEC.instance(leaving).orElseThrow());
        backend.clusters().update("demo", s -> s.withInstances(s.others(leaving)));
        stores.get(l).removeMember("demo", leaving);

        Decision d = supervisors.get(l).cycle();

        assertThat(d.reason()).contains("I am no longer an instance of cluster demo");
        assertThat(members()).doesNotContainKey(leaving);
    }

    @Test
    void cycle_storeSuspended_publishesNothingAndKeepsTheLastObservation() {
        rounds(12);
        MemberState before = members().get("demo-2");
        var observed = supervisors.get(1).latest().orElseThrow();
        stores.get(1).setConnected(false);

        supervisors.get(1).cycle();

        stores.get(1).setConnected(true);
        assertThat(members().get("demo-2")).isEqualTo(before);
        assertThat(supervisors.get(1).latest()).containsSame(observed);
    }
}
