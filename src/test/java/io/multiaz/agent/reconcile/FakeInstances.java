package io.multiaz.agent.reconcile;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.runner.InstanceRunner;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An {@link InstanceRunner} for {@link ClusterReconcilerTest}: records what it is asked, fails when told to. */
final class FakeInstances implements InstanceRunner {
    final List<String> started = new ArrayList<>();
    final List<String> stopped = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    final List<String> stoppedCleanly = new ArrayList<>();
    final List<String> snapshots = new ArrayList<>();
    final List<String> removedSnapshots = new ArrayList<>();
    final Set<String> failRemove = new HashSet<>();
    boolean failStart;
    boolean failSnapshot;

    @Override
    public Running start(ClusterSpec spec, InstanceSpec instance) {
        if (failStart) {
            throw new IllegalStateException("no PostgreSQL binaries");
        }
        String key = spec.name() + "/" + instance.name();
        started.add(key);
        return new Running() {
            @Override
            public void stop() {
                stopped.add(key);
            }

            @Override
            public void stopCleanly() {
                stoppedCleanly.add(key);
            }
        };
    }

    @Override
    public SnapshotFiles snapshot(String cluster, InstanceSpec instance, String snapshot) {
        if (failSnapshot) {
            throw new IllegalStateException("not shut down cleanly");
        }
        snapshots.add(cluster + "/" + instance.name() + " -> " + snapshot);
        removed.add(cluster + "/" + instance.name());
        return new SnapshotFiles("16.4", 5L << 30);
    }

    @Override
    public void removeSnapshot(String snapshot) {
        removedSnapshots.add(snapshot);
    }

    @Override
    public void remove(String cluster, InstanceSpec instance) {
        String key = cluster + "/" + instance.name();
        if (failRemove.contains(key)) {
            throw new IllegalStateException("its server still runs");
        }
        removed.add(key);
    }
}
