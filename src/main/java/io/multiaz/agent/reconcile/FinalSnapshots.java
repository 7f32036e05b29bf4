package io.multiaz.agent.reconcile;

import io.multiaz.runner.InstanceRunner;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.InstanceSpec;
import io.multiaz.store.Records;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The files side of DB cluster snapshots in one zone, for the {@link ClusterReconciler}: keeps the
 * data directory of a deleting cluster's last writer as its final snapshot (record first told where
 * the files go, then the move, then {@code available}), and removes the files and then the record
 * of snapshots marked {@code deleting} whose files are here. Each step is idempotent and a failed
 * one is logged and tried again by the next pass.
 *
 * <p>Thread safety: called from the reconciler's one thread.
 */
public final class FinalSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(FinalSnapshots.class);

    private final Records<DbClusterSnapshot> records;
    private final String az;
    private final InstanceRunner instances;

    public FinalSnapshots(Records<DbClusterSnapshot> records, String az, InstanceRunner instances) {
        this.records = records;
        this.az = az;
        this.instances = instances;
    }

    /**
     * Makes the stopped source's data directory the cluster's final snapshot: records where the files
     * go, moves them, marks the snapshot available. True when done (also when it was done before).
     */
    public boolean keep(ClusterSpec spec, InstanceSpec instance) {
        String id = spec.rds().finalSnapshot();
        try {
            Optional<DbClusterSnapshot> record = records.get(id);
            if (record.isEmpty()) {
                // the API stores it before the deletion; gone means the store lost it: record what is known
                LOG.warn("the record of final snapshot {} of cluster {} is missing; storing it anew", id, spec.name());
                records.create(id, new DbClusterSnapshot(id, spec.name(), null, null, null,
                        spec.rds().createdAt(), spec.credentials().masterUser(), 0,
                        spec.rds().retiring().stream().map(InstanceSpec::az).distinct().sorted().toList(), null, null,
                        DbClusterSnapshot.CREATING, 0, null));
            } else if (record.get().status().equals(DbClusterSnapshot.DELETING)) {
                // taken before, and deleted since: only the instance's own files are left to remove
                instances.remove(spec.name(), instance);
                return true;
            }
            records.update(id, r -> r.placedIn(az, instance.host()));
            InstanceRunner.SnapshotFiles files = instances.snapshot(spec.name(), instance, id);
            records.update(id, r -> r.available(files.engineVersion(), files.bytes()));
        } catch (RuntimeException e) {
            LOG.warn("cannot take the final snapshot {} of cluster {} from instance {}: {}; trying again on the next"
                    + " pass (the cluster is deleted once it is taken)", id, spec.name(), instance.name(),
                    e.getMessage());
            return false;
        }
        LOG.info("final snapshot {} of cluster {} is available: the data directory of {} in {}", id, spec.name(),
                instance.name(), az);
        return true;
    }

    /** Removes the files, then the records, of the snapshots marked deleting whose files are in this zone. */
    public void removeDeleted() {
        List<DbClusterSnapshot> all;
        try {
            all = records.list();
        } catch (StoreException e) {
            LOG.warn("cannot read the DB cluster snapshots ({}); removing deleted ones on the next pass",
                    e.getMessage());
            return;
        }
        for (DbClusterSnapshot s : all) {
            if (!s.status().equals(DbClusterSnapshot.DELETING) || !az.equals(s.az())) {
                continue;
            }
            try {
                instances.removeSnapshot(s.identifier());
                records.delete(s.identifier());
                LOG.info("DB cluster snapshot {} deleted (files and record)", s.identifier());
            } catch (RuntimeException e) {
                LOG.warn("cannot delete DB cluster snapshot {}: {}; trying again on the next pass", s.identifier(),
                        e.getMessage());
            }
        }
    }
}
