package io.multiaz.backup;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.Clusters;
import io.multiaz.store.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes the DB cluster snapshots DeleteDBClusterSnapshot marked {@code deleting} that are backup
 * sets: expires the set, then removes the record; and deletes a stanza once neither a cluster nor a
 * snapshot uses it (snapshots outlive their cluster, so the stanza of a deleted cluster stays while
 * one of them does). Every agent runs it ({@link #pass}, every few seconds): each step is idempotent
 * and checks the repository first, so agents meeting on one snapshot only repeat a look.
 * Not thread-safe: one thread of the agent runs it.
 */
public final class SnapshotJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotJanitor.class);
    /** pgBackRest's "unable to acquire lock": another command holds the stanza. */
    private static final int LOCK_HELD = 50;

    private final Records<DbClusterSnapshot> snapshots;
    private final Clusters clusters;
    private final ClusterStore store;
    private final BackupTool tool;

    public SnapshotJanitor(Records<DbClusterSnapshot> snapshots, Clusters clusters, ClusterStore store,
                           BackupTool tool) {
        this.snapshots = snapshots;
        this.clusters = clusters;
        this.store = store;
        this.tool = tool;
    }

    /** One pass over the snapshots marked deleting; a failure is logged and tried again on the next pass. */
    public void pass() {
        List<DbClusterSnapshot> all;
        try {
            all = snapshots.list();
        } catch (RuntimeException e) {
            LOG.debug("snapshot janitor: cannot list the snapshots: {}", e.getMessage());
            return;
        }
        for (DbClusterSnapshot s : all) {
            if (s.inRepository() && s.status().equals(DbClusterSnapshot.DELETING)) {
                try {
                    remove(s, all);
                } catch (BackupException e) {
                    if (e.errorCode().orElse(0) == LOCK_HELD) {
                        // another agent's janitor (or the owner's backup) holds the stanza: its turn first
                        LOG.debug("DB cluster snapshot {}: stanza {} is busy; trying again shortly", s.identifier(),
                                s.stanza());
                    } else {
                        LOG.warn("cannot remove DB cluster snapshot {} yet: {}; trying again shortly",
                                s.identifier(), e.getMessage());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("cannot remove DB cluster snapshot {} yet: {}; trying again shortly", s.identifier(),
                            e.getMessage());
                }
            }
        }
    }

    private void remove(DbClusterSnapshot s, List<DbClusterSnapshot> all) {
        boolean othersUseStanza = all.stream().anyMatch(o -> o != s && s.stanza().equals(o.stanza()));
        if (!othersUseStanza && !liveStanzas().contains(s.stanza())) {
            tool.deleteStanza(s.stanza());
            LOG.info("deleted stanza {} with DB cluster snapshot {}, its last snapshot (its cluster is gone)",
                    s.stanza(), s.identifier());
        } else if (s.backupLabel() != null && tool.describe(s.stanza()).sets().stream()
                .anyMatch(b -> b.label().equals(s.backupLabel()))) {
            tool.expire(s.stanza(), s.backupLabel());
            LOG.info("expired backup {} of stanza {}: DB cluster snapshot {} deleted", s.backupLabel(), s.stanza(),
                    s.identifier());
        }
        snapshots.delete(s.identifier());
    }

    /** The stanzas of the clusters that exist. */
    private Set<String> liveStanzas() {
        return clusters.names().stream().map(name -> store.read(name).spec().map(ClusterSpec::backupStanza)
                .orElse(null)).filter(Objects::nonNull).collect(Collectors.toSet());
    }
}
