package io.multiaz.backup;

import io.multiaz.model.BackupStatus.Backup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The automated-backup decisions, without I/O or clock: when the next automated backup is due and
 * of which type, and which automated backups the retention period no longer needs.
 *
 * <p>Rules, as RDS has them for a Multi-AZ DB cluster: a cluster with a retention period (1-35 days;
 * 0 keeps none) gets its first backup as soon as it can be taken, so that it can be restored from
 * its start; then one a day inside {@code PreferredBackupWindow} (UTC, {@code hh:mm-hh:mm}, may span
 * midnight). The first backup and every one a week after the last full are full, the others
 * differential (only what changed since that full). A failed attempt is retried after
 * {@link #RETRY} while the reason lasts (inside the window, or while none exists).
 */
public final class BackupSchedule {
    /** How long a failed attempt waits before the next. */
    public static final Duration RETRY = Duration.ofSeconds(30);
    /** The age of the last full backup from which the next one is full again. */
    public static final Duration FULL_EVERY = Duration.ofDays(7);

    private BackupSchedule() {
    }

    /** The automated backup due at {@code now}, if any, when the stanza's newest full backup is an automated one. */
    public static Optional<BackupType> due(Instant now, int retentionDays, String window, List<Backup> automated,
                                           Instant lastFailure) {
        return due(now, retentionDays, window, automated, lastFailure, true);
    }

    /**
     * The automated backup due at {@code now}, if any.
     *
     * @param newestFullAutomated whether the stanza's newest full set is an automated one: a
     *                            differential backup builds on the newest full set whatever took it,
     *                            and one built on a snapshot's set would go when the snapshot is
     *                            deleted, so after a snapshot the next automated backup is full
     */
    public static Optional<BackupType> due(Instant now, int retentionDays, String window, List<Backup> automated,
                                           Instant lastFailure, boolean newestFullAutomated) {
        if (retentionDays <= 0 || lastFailure != null && now.isBefore(lastFailure.plus(RETRY))) {
            return Optional.empty();
        }
        Optional<Backup> lastFull = automated.stream().filter(b -> b.type().equals("full"))
                .max(Comparator.comparing(Backup::startTime));
        if (lastFull.isEmpty()) {
            return Optional.of(BackupType.FULL);
        }
        Optional<Instant> windowStart = windowStartAround(now, window);
        if (windowStart.isEmpty()) {
            return Optional.empty();
        }
        boolean takenInThisWindow = automated.stream().anyMatch(b -> !b.startTime().isBefore(windowStart.get()));
        if (takenInThisWindow) {
            return Optional.empty();
        }
        return Optional.of(newestFullAutomated && now.isBefore(lastFull.get().startTime().plus(FULL_EVERY))
                ? BackupType.DIFF : BackupType.FULL);
    }

    /**
     * The full backups to expire (pgBackRest expires a full with everything that depends on it):
     * every full older than the newest full that ended before the retention period began, which
     * still covers the period's start. Oldest first; empty while nothing is that old.
     */
    public static List<String> expired(Instant now, int retentionDays, List<Backup> automated) {
        if (retentionDays <= 0) {
            return List.of();
        }
        Instant cutoff = now.minus(Duration.ofDays(retentionDays));
        List<Backup> fulls = automated.stream().filter(b -> b.type().equals("full"))
                .sorted(Comparator.comparing(Backup::startTime)).toList();
        Optional<Backup> covering = fulls.stream().filter(b -> !b.stopTime().isAfter(cutoff))
                .max(Comparator.comparing(Backup::startTime));
        List<String> labels = new ArrayList<>();
        covering.ifPresent(keep -> fulls.stream().filter(b -> b.startTime().isBefore(keep.startTime()))
                .forEach(b -> labels.add(b.label())));
        return List.copyOf(labels);
    }

    /**
     * The start of the window occurrence {@code now} is in, or empty outside the window. A window
     * spanning midnight ({@code 23:30-00:15}) started the day before when now is after midnight.
     */
    static Optional<Instant> windowStartAround(Instant now, String window) {
        String[] parts = window.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("backup window must be hh:mm-hh:mm, got " + window);
        }
        LocalTime start = LocalTime.parse(parts[0]);
        LocalTime end = LocalTime.parse(parts[1]);
        ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
        for (int daysBack = 0; daysBack <= 1; daysBack++) {
            ZonedDateTime from = utc.toLocalDate().minusDays(daysBack).atTime(start).atZone(ZoneOffset.UTC);
            ZonedDateTime to = from.toLocalDate().atTime(end).atZone(ZoneOffset.UTC);
            if (!to.isAfter(from)) {
                to = to.plusDays(1);
            }
            if (!utc.isBefore(from) && utc.isBefore(to)) {
                return Optional.of(from.toInstant());
            }
        }
        return Optional.empty();
    }
}
