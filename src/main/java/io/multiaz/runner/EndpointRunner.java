package io.multiaz.runner;


import io.multiaz.model.ClusterSpec;

/**
 * Starts and removes one cluster's endpoints for a cluster reconciler
 * (the agent's cluster endpoints, a fake in tests).
 *
 * <p>Thread safety: called from the reconciler's one thread.
 */
public interface EndpointRunner {
    /** Runs no endpoints: a zone agent of the netns topology, where the root namespace's agent runs them. */
    EndpointRunner NONE = new EndpointRunner() {
        @Override
        public AutoCloseable start(ClusterSpec spec) {
            return () -> { };
        }

        @Override
        public void remove(ClusterSpec lastSpec) {
            // nothing was made
        }
    };

    /**
     * Starts the endpoint controller of {@code spec}'s cluster; closing the handle stops it and
     * leaves its rules in place (another agent may own them).
     *
     * @throws RuntimeException when it cannot; the reconciler tries again on its next pass
     */
    AutoCloseable start(ClusterSpec spec);

    /**
     * Removes what the endpoints of a deleted cluster leave behind (its nftables table, its owner
     * election); idempotent. {@code lastSpec} is the last spec this agent saw of it.
     *
     * @throws RuntimeException when it cannot; the reconciler tries again on its next pass
     */
    void remove(ClusterSpec lastSpec);
}
