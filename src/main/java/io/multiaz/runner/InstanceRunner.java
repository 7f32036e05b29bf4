package io.multiaz.runner;


import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;

/**
 * Starts, stops and removes the instances a cluster reconciler places on this agent: the
 * mechanics behind its decisions (the agent's supervised instances, a fake in tests).
 *
 * <p>Thread safety: called from the reconciler's one thread.
 */
public interface InstanceRunner {
    /**
     * Starts supervising {@code instance} of {@code spec} (its server, HA loop and watchdog).
     *
     * @throws RuntimeException when it cannot; nothing of it is left running, and the reconciler
     *                          tries again on its next pass
     */
    Running start(ClusterSpec spec, InstanceSpec instance);

    /**
     * Deletes what {@code instance} of {@code cluster} left on this host (its data directory);
     * idempotent. Call only when it does not run.
     *
     * @throws RuntimeException when it cannot (its server still runs, or a file resists); the
     *                          reconciler tries again on its next pass
     */
    void remove(String cluster, InstanceSpec instance);

    /**
     * Keeps the data directory of {@code instance} of {@code cluster} as DB cluster snapshot
     * {@code snapshot}: checks that its server was shut down cleanly, moves the directory to the
     * snapshot's place (a rename on the same file system, owner and modes kept), then removes the
     * rest of the instance as {@link #remove} does. Idempotent: a directory moved already is found
     * in its place. Call only when it does not run.
     *
     * @throws RuntimeException when it cannot (its server still runs or was not shut down cleanly,
     *                          the move fails); the reconciler tries again on its next pass
     */
    SnapshotFiles snapshot(String cluster, InstanceSpec instance, String snapshot);

    /** Deletes the files of DB cluster snapshot {@code snapshot} on this host; idempotent. */
    void removeSnapshot(String snapshot);

    /**
     * The files of a snapshot just taken.
     *
     * @param engineVersion the {@code major.minor} of the server that wrote them
     * @param bytes         their size
     */
    record SnapshotFiles(String engineVersion, long bytes) {
    }

    /** One supervised instance. */
    interface Running {
        /**
         * Stops its HA loop and watchdog, shuts its server down and withdraws its member record;
         * best effort (failures are logged), and may be called twice.
         */
        void stop();

        /**
         * As {@link #stop()}, but its server is shut down cleanly (a fast shutdown, which ends with a
         * checkpoint), for a final snapshot of its data directory; a failure to shut down cleanly is
         * logged, and {@link InstanceRunner#snapshot} refuses the directory then.
         */
        default void stopCleanly() {
            stop();
        }

        /**
         * Hands it the cluster's current spec, e.g. so that its server takes changed parameters
         * (instance class, parameter group); called on every reconciler pass.
         */
        default void update(ClusterSpec spec) {
        }
    }
}
