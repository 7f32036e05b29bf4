package io.multiaz.fuzz;

import io.multiaz.fuzz.StoreDump.Znode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Which store changes around a refused request the agents explain, and which are the request's. */
final class AgentWritesTest {
    private static final String ROOT = "/multiaz";
    private static final Znode SPEC = new Znode("{\"name\":\"web\",\"rds\":{\"deleting\":false,\"retiring\":[]}}", false);
    private static final Znode DELETING = new Znode("{\"name\":\"web\",\"rds\":{\"deleting\":true,\"retiring\":[]}}", false);
    private static final Znode SLOT = new Znode("{\"cluster\":\"web\"}", false);

    private final AgentWrites writes = new AgentWrites(ROOT);

    private static Map<String, Znode> store(Object... pathsAndNodes) {
        Map<String, Znode> dump = new TreeMap<>();
        for (int i = 0; i < pathsAndNodes.length; i += 2) {
            dump.put(ROOT + pathsAndNodes[i], (Znode) pathsAndNodes[i + 1]);
        }
        return dump;
    }

    @Test
    void unexplained_agentsOwnRecords_excused() {
        Map<String, Znode> before = store("/clusters/web/spec", SPEC, "/clusters/web/members/web-1",
                new Znode("{\"lsn\":1}", true), "/clusters/web/fence", new Znode("{\"epoch\":1}", false));
        Map<String, Znode> after = store("/clusters/web/spec", SPEC, "/clusters/web/members/web-1",
                new Znode("{\"lsn\":2}", true), "/clusters/web/fence", new Znode("{\"epoch\":2}", false),
                "/clusters/web/events/event-0000000007", new Znode("{\"type\":\"promoted\"}", false),
                "/clusters/web/history/entry-0000000002", new Znode("{}", false),
                "/endpoints/4026531992/web/owner/_c_x-latch-0000000001", new Znode("", true),
                "/backups/web", new Znode("{\"stanza\":\"web-0\"}", false),
                "/backup-owners/web", new Znode("", false));

        assertThat(writes.unexplained(before, after)).isEmpty();
    }

    @Test
    void unexplained_whatOnlyTheApiWrites_reported() {
        Map<String, Znode> before = store("/clusters/web/spec", SPEC);
        Map<String, Znode> after = store("/clusters/web/spec", DELETING, "/slots/02", SLOT,
                "/clusters/web/events/event-0000000008", new Znode("{\"type\":\"cluster-modified\"}", false),
                "/clusters/web/request", new Znode("{\"kind\":\"SWITCHOVER\"}", false),
                "/parameter-groups/web", new Znode("{}", false));

        assertThat(writes.unexplained(before, after)).hasSize(5).anySatisfy(c -> assertThat(c).startsWith(
                "changed /multiaz/clusters/web/spec")).anySatisfy(c -> assertThat(c).startsWith("created /multiaz/slots/02"));
    }

    @Test
    void unexplained_deletionTheAgentsCarryOut_excused() {
        Map<String, Znode> before = store("/clusters/web/spec", DELETING, "/clusters/web/tags/cluster",
                new Znode("{}", false), "/slots/02", SLOT, "/clusters/web/request", new Znode("{}", false));
        Map<String, Znode> after = store();

        assertThat(writes.unexplained(before, after)).isEmpty();
        assertThat(writes.pending(before)).hasValueSatisfying(p -> assertThat(p).contains("web"));
    }

    @Test
    void pending_remainsOfAClusterWhoseSpecIsGone_untilTheSlotIsFreed() {
        assertThat(writes.pending(store("/clusters/web", new Znode("", false)))).isPresent();
        assertThat(writes.pending(store("/slots/02", SLOT))).isPresent();
        assertThat(writes.pending(store("/clusters/web", new Znode("", false), "/clusters/web/spec", SPEC,
                "/slots/02", SLOT))).isEmpty();
        assertThat(writes.unexplained(store("/clusters/web", new Znode("", false), "/slots/02", SLOT), store()))
                .isEmpty();
        assertThat(writes.unexplained(store(), store("/slots/02", SLOT))).hasSize(1);
    }

    @Test
    void agentsOnly_byPathAlone() {
        assertThat(writes.agentsOnly(ROOT + "/clusters/web/members/web-1")).isTrue();
        assertThat(writes.agentsOnly(ROOT + "/endpoints/1/web/owner")).isTrue();
        assertThat(writes.agentsOnly(ROOT + "/clusters/web/events/event-0000000001")).isFalse();
        assertThat(writes.agentsOnly(ROOT + "/clusters/web/spec")).isFalse();
        assertThat(writes.agentsOnly(StoreDump.UNKNOWN)).isFalse();
    }
}
