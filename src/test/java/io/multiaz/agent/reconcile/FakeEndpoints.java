package io.multiaz.agent.reconcile;

import io.multiaz.model.ClusterSpec;
import io.multiaz.runner.ClusterRunner;

import java.util.ArrayList;
import java.util.List;

/** The endpoints' {@link ClusterRunner} for {@link ClusterReconcilerTest}: records what it is asked, fails when told to. */
final class FakeEndpoints implements ClusterRunner {
    final List<String> started = new ArrayList<>();
    final List<String> closed = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    boolean failStart;

    @Override
    public String name() {
        return "endpoints";
    }

    @Override
    public AutoCloseable start(ClusterSpec spec) {
        if (failStart) {
            throw new IllegalStateException("latch not started");
        }
        started.add(spec.name());
        return () -> closed.add(spec.name());
    }

    @Override
    public void remove(ClusterSpec lastSpec) {
        removed.add(lastSpec.name());
    }
}
