package io.multiaz.backup;

import io.multiaz.model.Lsn;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup set in the repository, as {@code pgbackrest info} describes it.
 *
 * @param label          its name, e.g. {@code 20261203-132600F} or {@code 20261203-132600F_20261203-132811I}
 * @param type           full, differential or incremental
 * @param prior          the set it was taken on top of (empty for a full set)
 * @param references     every set whose files it uses (restoring it needs them all)
 * @param started        when the backup started (whole seconds)
 * @param stopped        when it stopped (whole seconds): the earliest time it can be restored to
 * @param annotations    the {@code --annotation} pairs it was taken with
 * @param size           its sizes in the cluster and in the repository
 * @param lsnStart       the WAL position of the backup's checkpoint
 * @param lsnStop        the position where the restored cluster becomes consistent
 * @param walStart       the segment holding {@code lsnStart}
 * @param walStop        the segment holding {@code lsnStop}
 * @param databaseId     the stanza's database entry (system id and version) it belongs to
 * @param checksumErrors whether pgBackRest found page checksum errors while copying
 */
public record BackupSet(String label, BackupType type, Optional<String> prior, List<String> references,
                        Instant started, Instant stopped, Map<String, String> annotations, BackupSizes size,
                        Lsn lsnStart, Lsn lsnStop, WalSegment walStart, WalSegment walStop, int databaseId,
                        boolean checksumErrors) {
    public BackupSet {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(prior, "prior");
        references = List.copyOf(references);
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(stopped, "stopped");
        annotations = Map.copyOf(annotations);
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(lsnStart, "lsnStart");
        Objects.requireNonNull(lsnStop, "lsnStop");
        Objects.requireNonNull(walStart, "walStart");
        Objects.requireNonNull(walStop, "walStop");
        if (type == BackupType.FULL != prior.isEmpty()) {
            throw new IllegalArgumentException("backup set " + label + ": a full set has no prior set and any other"
                    + " has one, got type " + type + " with prior " + prior);
        }
        if (stopped.isBefore(started)) {
            throw new IllegalArgumentException("backup set " + label + " stopped (" + stopped + ") before it started ("
                    + started + ")");
        }
    }

    /**
     * Sizes of a backup set, in bytes.
     *
     * @param database        the cluster's size when it was taken
     * @param delta           of that, what this set copied (the rest is referenced from earlier sets)
     * @param repository      what the set and the sets it references take in the repository, compressed
     * @param repositoryDelta what this set alone takes in the repository
     */
    public record BackupSizes(long database, long delta, long repository, long repositoryDelta) {
        public BackupSizes {
            if (database < 0 || delta < 0 || repository < 0 || repositoryDelta < 0) {
                throw new IllegalArgumentException("sizes are never negative, got database " + database + ", delta "
                        + delta + ", repository " + repository + ", repository delta " + repositoryDelta);
            }
        }
    }
}
