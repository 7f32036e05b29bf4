package io.multiaz.runner;

import io.multiaz.model.ClusterSpec;

/**
 * Runs one per-cluster service on this agent for the cluster reconciler: the endpoints today;
 * backups ({@code io.multiaz.backup}) and metrics ({@code io.multiaz.monitor}) plug in the same way.
 * The reconciler starts it once per cluster it sees, closes the handle when the cluster leaves or
 * the agent stops, and calls {@link #remove} once a cluster is deleted, until that succeeds.
 *
 * <p>Thread safety: called from the reconciler's one thread.
 */
public interface ClusterRunner {
    /** Runs nothing: e.g. the endpoints of a zone agent of the netns topology, where the root namespace's agent runs them. */
    static ClusterRunner none(String name) {
        return new ClusterRunner() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AutoCloseable start(ClusterSpec spec) {
                return () -> { };
            }

            @Override
            public void remove(ClusterSpec lastSpec) {
                // nothing was made
            }
        };
    }

    /** What it runs, for log lines: "endpoints", "backups", … */
    String name();

    /**
     * Starts the service for {@code spec}'s cluster; closing the handle stops it and leaves what it
     * made in place (another agent may own it).
     *
     * @throws RuntimeException when it cannot; the reconciler tries again on its next pass
     */
    AutoCloseable start(ClusterSpec spec);

    /**
     * Removes what the service of a deleted cluster leaves behind (the endpoints' nftables table and
     * owner election); idempotent. {@code lastSpec} is the last spec this agent saw of it.
     *
     * @throws RuntimeException when it cannot; the reconciler tries again on its next pass
     */
    void remove(ClusterSpec lastSpec);
}
