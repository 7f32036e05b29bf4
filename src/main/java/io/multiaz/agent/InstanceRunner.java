package io.multiaz.agent;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;

/**
 * Starts, stops and removes the instances a {@link ClusterReconciler} places on this agent: the
 * mechanics behind its decisions ({@link SupervisedInstances} in the agent, a fake in tests).
 *
 * <p>Thread safety: called from the reconciler's one thread.
 */
interface InstanceRunner {
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

    /** One supervised instance. */
    interface Running {
        /**
         * Stops its HA loop and watchdog, shuts its server down and withdraws its member record;
         * best effort (failures are logged), and may be called twice.
         */
        void stop();

        /**
         * Hands it the cluster's current spec, e.g. so that its server takes changed parameters
         * (instance class, parameter group); called on every reconciler pass.
         */
        default void update(ClusterSpec spec) {
        }
    }
}
