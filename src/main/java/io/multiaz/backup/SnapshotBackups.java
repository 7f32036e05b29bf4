package io.multiaz.backup;

import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.store.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The DB cluster snapshots of one stanza as its backup owner sees them: which still wait for their
 * backup, which the repository already holds (made available here), and the progress of the one
 * being taken. Not thread-safe: the owner's thread uses it.
 */
final class SnapshotBackups {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBackups.class);

    private final Records<DbClusterSnapshot> snapshots;
    private final String stanza;

    SnapshotBackups(Records<DbClusterSnapshot> snapshots, String stanza) {
        this.snapshots = snapshots;
        this.stanza = stanza;
    }

    /**
     * This stanza's snapshots still {@code creating}, oldest first. One whose set the repository
     * ({@code described}) already lists — taken by this owner, or by an owner before it that died
     * after the backup — is made available on the way and reported to {@code available}.
     */
    List<DbClusterSnapshot> pending(BackupTool.Stanza described, Consumer<String> available) {
        List<DbClusterSnapshot> pending = new ArrayList<>();
        for (DbClusterSnapshot s : snapshots.list()) {
            if (!s.status().equals(DbClusterSnapshot.CREATING) || !stanza.equals(s.stanza())) {
                continue;
            }
            Optional<BackupTool.StoredSet> set = described.sets().stream()
                    .filter(b -> s.identifier().equals(b.annotations().get(BackupController.PURPOSE))).findFirst();
            if (set.isEmpty()) {
                pending.add(s);
                continue;
            }
            snapshots.update(s.identifier(), cur -> cur.status().equals(DbClusterSnapshot.CREATING)
                    ? cur.backedUp(set.get().label(), cur.engineVersion(), set.get().sizeBytes()) : cur);
            available.accept("DB cluster snapshot " + s.identifier() + " is available (backup " + set.get().label()
                    + ", " + set.get().sizeBytes() + " bytes)");
        }
        pending.sort(Comparator.comparing(DbClusterSnapshot::snapshotCreateTime));
        return pending;
    }

    /** Writes {@code percent} (at most 99: 100 is the available snapshot's) into snapshot {@code id} while creating. */
    void progress(String id, int percent) {
        try {
            snapshots.update(id, cur -> cur.status().equals(DbClusterSnapshot.CREATING)
                    ? cur.withProgress(Math.min(percent, 99)) : cur);
        } catch (RuntimeException e) {
            LOG.debug("progress of snapshot {} not written: {}", id, e.getMessage());
        }
    }
}
