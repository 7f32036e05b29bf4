package io.multiaz.store;

import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.HistoryEntry;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Lsn;
import io.multiaz.model.MemberState;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.ReplicaLink;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Named records for the store tests. */
final class StoreFixtures {
    private StoreFixtures() {
    }

    /** A three-AZ cluster {@code name} with instances db-1..db-3. */
    static ClusterSpec spec(String name) {
        return new ClusterSpec(name, "app", 1,
                List.of(new InstanceSpec("db-1", "az-a", "10.0.1.10", 5432),
                        new InstanceSpec("db-2", "az-b", "10.0.2.10", 5432),
                        new InstanceSpec("db-3", "az-c", "10.0.3.10", 5432)),
                new Credentials("multiaz_admin", "s3cret-admin", "replicator", "s3cret-repl", "master", "s3cret-m"),
                Map.of("max_connections", "200"));
    }

    /** The writer db-1 with one streaming standby and {@code reason} as its last decision. */
    static MemberState writer(String name, String reason) {
        return new MemberState(name, "az-a", "10.0.1.10", 5432, Role.WRITER, ServerState.RUNNING, 3,
                Lsn.parse("0/3000060"), Lsn.parse("0/3000060"), 0, null, false,
                List.of(new ReplicaLink("db-2", "streaming", "quorum", Lsn.parse("0/3000060"),
                        Lsn.parse("0/3000000"), 96)),
                "ANY 1 (db_2, db_3)", 4242, 4343, reason, "http://10.0.1.10:8008",
                Instant.parse("2025-01-02T03:04:05Z"));
    }

    /** A streaming reader following db-1. */
    static MemberState reader(String name) {
        return new MemberState(name, "az-b", "10.0.2.10", 5432, Role.READER, ServerState.RUNNING, 3,
                Lsn.parse("0/3000060"), Lsn.parse("0/3000000"), 96, "db-1", true, List.of(), "", 5151, 5252,
                "no action: I am " + name + ", following writer db-1", "http://10.0.2.10:8008",
                Instant.parse("2025-01-02T03:04:06Z"));
    }

    /** A switchover from db-1 to db-2 requested at {@code at}, not yet stopped. */
    static OperatorRequest switchover(String at) {
        return new OperatorRequest(OperatorRequest.Kind.SWITCHOVER, "db-1", "db-2", false, Instant.parse(at), null);
    }

    /** The {@code n}th event of a test, told apart by its time and message. */
    static ClusterEvent event(int n) {
        return new ClusterEvent(Instant.parse("2025-01-02T03:00:00Z").plusSeconds(n), "db-" + (n % 3 + 1),
                EventType.PROMOTED, "event " + n);
    }

    /** The change of writer to epoch {@code epoch}. */
    static HistoryEntry historyEntry(long epoch) {
        return new HistoryEntry(epoch, epoch + 1, "db-" + (epoch % 3 + 1), epoch == 1 ? null : "db-" + (epoch % 3),
                new Lsn(0x3000000L * epoch), Instant.parse("2025-01-02T03:00:00Z").plusSeconds(60 * epoch),
                "failover: lease of the writer expired");
    }
}
