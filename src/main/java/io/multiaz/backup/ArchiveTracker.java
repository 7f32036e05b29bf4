package io.multiaz.backup;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Follows the writer's archiver and says how far the repository's WAL reaches in time: the latest
 * time every commit before which is archived ({@code LatestRestorableTime}), and since when
 * archiving fails. Pure: fed one {@link Observation} at a time, no clock, no I/O. Not thread-safe.
 *
 * <p>WAL is archived a segment at a time, so everything written before the end of the last
 * archived segment is in the repository. The tracker samples the writer's insert position with the
 * time; the latest restorable time is the newest sample whose position the archive covers. It is
 * now when the archive covers a sample taken while no transaction ran, and no transaction id was
 * handed out since and none runs: then nothing was committed after that sample (the idle writer
 * still writes WAL, checkpoints and running-transaction records, that no restore needs and that
 * never force a segment switch). The time never goes back; a new writer continues where the old
 * one was.
 */
public final class ArchiveTracker {
    private static final int MAX_SAMPLES = 4096;
    private static final int SEGMENT_NAME = 24;

    private final Deque<Sample> samples = new ArrayDeque<>();
    private long archivedEnd = -1;
    private long quietXid = -1;
    private Instant latest;
    private Instant failingSince;
    private String error;

    /**
     * One look at the writer.
     *
     * @param at                when it was taken
     * @param insertLsn         {@code pg_current_wal_insert_lsn()} as a number
     * @param nextXid           the next transaction id ({@code pg_snapshot_xmax(pg_current_snapshot())})
     * @param oldestRunningXid  the oldest transaction id still running ({@code pg_snapshot_xmin}); equal
     *                          to {@code nextXid} when none runs
     * @param segmentBytes      {@code wal_segment_size}
     * @param lastArchivedWal   {@code pg_stat_archiver.last_archived_wal}, null if none
     * @param lastArchivedTime  its time, null if none
     * @param lastFailedWal     {@code last_failed_wal}, null if none
     * @param lastFailedTime    its time, null if none
     */
    public record Observation(Instant at, long insertLsn, long nextXid, long oldestRunningXid, long segmentBytes,
                              String lastArchivedWal,
                              Instant lastArchivedTime, String lastFailedWal, Instant lastFailedTime) {
        public Observation {
            Objects.requireNonNull(at, "at");
            if (segmentBytes <= 0) {
                throw new IllegalArgumentException("WAL segment size must be positive, got " + segmentBytes);
            }
        }
    }

    private record Sample(Instant at, long lsn, long nextXid, boolean quiet) {
    }

    /** Takes in {@code o}. */
    public void observe(Observation o) {
        archivedEnd = Math.max(archivedEnd, segmentEnd(o.lastArchivedWal(), o.segmentBytes()));
        boolean failing = o.lastFailedTime() != null
                && (o.lastArchivedTime() == null || o.lastFailedTime().isAfter(o.lastArchivedTime()));
        if (failing && failingSince == null) {
            failingSince = o.lastFailedTime();
        } else if (!failing) {
            failingSince = null;
        }
        error = failing ? "the server could not archive " + o.lastFailedWal() + " (last attempt "
                + o.lastFailedTime() + ")" : null;
        samples.addLast(new Sample(o.at(), o.insertLsn(), o.nextXid(), o.oldestRunningXid() == o.nextXid()));
        while (!samples.isEmpty() && samples.peekFirst().lsn() <= archivedEnd) {
            Sample covered = samples.removeFirst();
            advance(covered.at());
            quietXid = covered.quiet() ? covered.nextXid() : -1;
        }
        if (quietXid >= 0 && o.nextXid() == quietXid && o.oldestRunningXid() == o.nextXid()) {
            advance(o.at());
            samples.clear();
            samples.addLast(new Sample(o.at(), o.insertLsn(), o.nextXid(), true));
        }
        while (samples.size() > MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    private void advance(Instant to) {
        if (latest == null || to.isAfter(latest)) {
            latest = to;
        }
    }

    /** The latest time every commit before which is archived; null until the archive covers a sample. */
    public Instant latestRestorableTime() {
        return latest;
    }

    /** When archiving began to fail, null while it works. */
    public Instant failingSince() {
        return failingSince;
    }

    /** What failed, null while archiving works. */
    public String error() {
        return error;
    }

    /**
     * The LSN where WAL segment {@code name} ({@code TTTTTTTTLLLLLLLLSSSSSSSS}) ends; -1 for null
     * and for what is no full segment (a {@code .partial}, {@code .history} or {@code .backup} file).
     */
    static long segmentEnd(String name, long segmentBytes) {
        if (name == null || name.length() != SEGMENT_NAME || !name.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return -1;
        }
        long log = Long.parseLong(name.substring(8, 16), 16);
        long seg = Long.parseLong(name.substring(16, 24), 16);
        return (log << 32) + (seg + 1) * segmentBytes;
    }
}
