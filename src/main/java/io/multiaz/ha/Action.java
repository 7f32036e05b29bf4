package io.multiaz.ha;

import io.multiaz.model.Fence;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Upstream;

import java.util.List;

/**
 * What the agent should do this cycle. Each action is carried out by the agent; its outcome is
 * simply observed on the next cycle, so an action that fails is retried by deciding again.
 */
public sealed interface Action {

    /** The action's kind for log lines, e.g. {@code Promote} (its record's simple name, without its fields). */
    default String label() {
        return getClass().getSimpleName();
    }

    /** Nothing to do. */
    record NoAction() implements Action {
    }

    /** Try to create the cluster's create-once bootstrap record naming me. */
    record ClaimBootstrap() implements Action {
    }

    /** Run initdb: I own the bootstrap and have no data. */
    record InitDb() implements Action {
    }

    /** Take the writer lease (or take over the one my previous session left). */
    record AcquireLease() implements Action {
    }

    /** Give up the writer lease: I hold it but cannot serve as writer. */
    record ReleaseLease() implements Action {
    }

    /** Write the fencing record naming the writer and its epoch, with a version check. */
    record WriteFence(Fence next, int expectedVersion) implements Action {
    }

    /** Start my server read-write: I hold the lease. */
    record StartAsWriter() implements Action {
    }

    /** Start my server as a standby streaming from {@code upstream} (null: no writer known yet). */
    record StartAsStandby(Upstream upstream) implements Action {
    }

    /** Create roles and slots on the new cluster, configure replication, mark the bootstrap complete. */
    record CompleteBootstrap(int quorum, List<String> standbyNames, List<String> standbySlots) implements Action {
        public CompleteBootstrap {
            standbyNames = List.copyOf(standbyNames);
            standbySlots = List.copyOf(standbySlots);
        }
    }

    /** Copy the writer's data directory into my empty one. */
    record CloneFrom(Upstream upstream) implements Action {
    }

    /** Point my running standby at {@code upstream}. */
    record Follow(Upstream upstream) implements Action {
    }

    /** Stop my server at once: it runs read-write but I may not be the writer. */
    record Demote() implements Action {
    }

    /** Stop my standby's WAL receiver so its position cannot move before positions are compared. */
    record Detach() implements Action {
    }

    /** Promote my standby to writer with {@code ANY quorum (standbyNames)} in place first. */
    record Promote(int quorum, List<String> standbyNames) implements Action {
        public Promote {
            standbyNames = List.copyOf(standbyNames);
        }
    }

    /** Rewind my former writer's data directory to follow {@code upstream} (pg_rewind). */
    record Rewind(Upstream upstream) implements Action {
    }

    /** Move my data directory aside so it can be cloned afresh (the rewind failed). */
    record Reclone() implements Action {
    }

    /**
     * Switchover, writer side: stop cleanly, record where my WAL ends in {@code request} (whose
     * target is resolved), and release the lease so the target can take it.
     */
    record StepDown(OperatorRequest request) implements Action {
    }

    /** The pending operator request is done, refused or abandoned: remove it. */
    record ClearRequest(String outcome) implements Action {
    }

    /**
     * Make the writer's synchronous standby setting and replication slots match the spec: a slot per
     * standby in {@code standbySlots}, and no other physical slot (those of instances that left).
     */
    record ConfigureWriter(int quorum, List<String> standbyNames, List<String> standbySlots) implements Action {
        public ConfigureWriter {
            standbyNames = List.copyOf(standbyNames);
            standbySlots = List.copyOf(standbySlots);
        }
    }
}
