package io.multiaz.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the agent that owns a cluster's backups publishes about them (one record per cluster, written
 * by that agent only): how far the archive reaches, whether archiving fails, the backup running now
 * and the automated backups kept. {@code DescribeDBClusters} reports the restorable window from it,
 * {@code DescribeDBClusterSnapshots --snapshot-type automated} the backups, {@code multiaz status}
 * the archiving.
 *
 * @param cluster                 the cluster's name
 * @param stanza                  the cluster's pgBackRest stanza
 * @param owner                   the zone whose agent owns the backups and wrote this
 * @param updatedAt               when it was written
 * @param earliestRestorableTime  the end of the oldest automated backup kept; null until the first
 *                                backup is done
 * @param latestRestorableTime    the latest time every commit before which is in the repository;
 *                                null until the first backup is done
 * @param archivingFailingSince   when archiving began to fail (the writer's archiver reports failures
 *                                and no success since); null while it works
 * @param archivingError          the archiver's last complaint while failing, else null
 * @param running                 the backup running now, null for none
 * @param automated               the automated backups kept, oldest first
 * @param lastBackupError         why the last backup attempt failed, null when it did not
 * @param lastBackupErrorAt       when it failed
 */
public record BackupStatus(String cluster, String stanza, String owner, Instant updatedAt, Instant earliestRestorableTime,
                           Instant latestRestorableTime, Instant archivingFailingSince, String archivingError,
                           Running running, List<Backup> automated, String lastBackupError,
                           Instant lastBackupErrorAt) {
    public BackupStatus {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(updatedAt, "updatedAt");
        automated = automated == null ? List.of() : List.copyOf(automated);
    }

    /** Whether this says the same as {@code other}, the time of writing aside (publish only changes). */
    public boolean sameAs(BackupStatus other) {
        return other != null && withUpdatedAt(updatedAt).equals(other.withUpdatedAt(updatedAt));
    }

    /** Whether this differs from {@code other} in nothing but the times of writing and of the latest restorable point. */
    public boolean sameButTimes(BackupStatus other) {
        return other != null && withUpdatedAt(updatedAt).withLatestRestorableTime(null)
                .equals(other.withUpdatedAt(updatedAt).withLatestRestorableTime(null));
    }

    public BackupStatus withLatestRestorableTime(Instant at) {
        return new BackupStatus(cluster, stanza, owner, updatedAt, earliestRestorableTime, at,
                archivingFailingSince, archivingError, running, automated, lastBackupError, lastBackupErrorAt);
    }

    public BackupStatus withUpdatedAt(Instant at) {
        return new BackupStatus(cluster, stanza, owner, at, earliestRestorableTime, latestRestorableTime,
                archivingFailingSince, archivingError, running, automated, lastBackupError, lastBackupErrorAt);
    }

    /**
     * A backup in progress.
     *
     * @param purpose   {@code automated}, or the identifier of the DB cluster snapshot it makes
     * @param type      {@code full}, {@code diff} or {@code incr}
     * @param source    the instance it reads (a standby when one streams)
     * @param percent   how much of the data is copied, 0-100
     */
    public record Running(String purpose, String type, Instant startedAt, String source, int percent) {
        public Running {
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(startedAt, "startedAt");
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("backup progress must be 0-100 %, got " + percent);
            }
        }
    }

    /**
     * A backup in the repository.
     *
     * @param label      pgBackRest's set label ({@code 20261203-101500F})
     * @param type       {@code full}, {@code diff} or {@code incr}
     * @param startTime  when it started
     * @param stopTime   when it ended: the earliest time it restores to
     * @param sizeBytes  the database's size it copied
     * @param repoBytes  what it takes in the repository (compressed; deltas for diff and incr)
     */
    public record Backup(String label, String type, Instant startTime, Instant stopTime, long sizeBytes,
                         long repoBytes) {
        public Backup {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(startTime, "startTime");
            Objects.requireNonNull(stopTime, "stopTime");
        }
    }
}
