package io.multiaz.backup;

import io.multiaz.backup.ArchiveTracker.Observation;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

final class ArchiveTrackerTest {
    private static final long SEG = 16L << 20;
    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    /** A look at a writer where no transaction runs. */
    private static Observation look(int second, long lsn, long xid, String archived) {
        return look(second, lsn, xid, xid, archived);
    }

    private static Observation look(int second, long lsn, long xid, long oldestRunning, String archived) {
        Instant at = T0.plusSeconds(second);
        return new Observation(at, lsn, xid, oldestRunning, SEG, archived, archived == null ? null : at, null, null);
    }

    @Test
    void segmentEnd_namesOfSegmentsAndOfOtherFiles() {
        assertThat(ArchiveTracker.segmentEnd("000000010000000000000003", SEG)).isEqualTo(4 * SEG);
        assertThat(ArchiveTracker.segmentEnd("000000020000000100000000", SEG)).isEqualTo((1L << 32) + SEG);
        assertThat(ArchiveTracker.segmentEnd("000000010000000000000003.partial", SEG)).isEqualTo(-1);
        assertThat(ArchiveTracker.segmentEnd("00000002.history", SEG)).isEqualTo(-1);
        assertThat(ArchiveTracker.segmentEnd(null, SEG)).isEqualTo(-1);
    }

    @Test
    void observe_writesArchivedLater_latestIsTheTimeOfTheLastPositionTheArchiveCovers() {
        ArchiveTracker t = new ArchiveTracker();
        t.observe(look(0, 3 * SEG + 100, 700, "000000010000000000000002"));
        t.observe(look(1, 3 * SEG + 900, 705, "000000010000000000000002"));
        t.observe(look(2, 4 * SEG + 50, 710, "000000010000000000000002"));
        assertThat(t.latestRestorableTime()).isNull();

        t.observe(look(12, 4 * SEG + 60, 712, "000000010000000000000003"));

        assertThat(t.latestRestorableTime()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void observe_idleWriterOnlyUnimportantWalAfterTheSwitch_latestFollowsNow() {
        ArchiveTracker t = new ArchiveTracker();
        t.observe(look(0, 3 * SEG + 900, 700, "000000010000000000000002"));
        t.observe(look(5, 4 * SEG + 0x60, 700, "000000010000000000000003"));
        assertThat(t.latestRestorableTime()).isEqualTo(T0.plusSeconds(5));

        t.observe(look(20, 4 * SEG + 0x98, 700, "000000010000000000000003"));
        t.observe(look(40, 4 * SEG + 0xd0, 700, "000000010000000000000003"));

        assertThat(t.latestRestorableTime()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    void observe_transactionRunningWhenTheArchiveCaughtUp_latestWaitsForItsCommitToBeArchived() {
        ArchiveTracker t = new ArchiveTracker();
        t.observe(look(0, 3 * SEG + 900, 700, 699, "000000010000000000000002"));
        t.observe(look(5, 4 * SEG + 0x60, 700, 699, "000000010000000000000003"));
        assertThat(t.latestRestorableTime()).isEqualTo(T0);

        t.observe(look(9, 4 * SEG + 0x200, 700, "000000010000000000000003"));

        assertThat(t.latestRestorableTime()).as("699 committed after the archived end").isEqualTo(T0);
    }

    @Test
    void observe_transactionAfterTheArchiveCoveredEverything_latestStopsUntilItsSegmentIsArchived() {
        ArchiveTracker t = new ArchiveTracker();
        t.observe(look(0, 4 * SEG - 10, 700, "000000010000000000000002"));
        t.observe(look(0, 4 * SEG, 700, "000000010000000000000003"));
        t.observe(look(5, 4 * SEG + 500, 701, 700, "000000010000000000000003"));
        t.observe(look(9, 4 * SEG + 600, 701, 700, "000000010000000000000003"));
        assertThat(t.latestRestorableTime()).isEqualTo(T0);

        t.observe(look(11, 5 * SEG + 10, 701, 700, "000000010000000000000004"));

        assertThat(t.latestRestorableTime()).as("700 still runs: its commit is not archived").isEqualTo(T0.plusSeconds(9));

        t.observe(look(12, 5 * SEG + 90, 701, "000000010000000000000004"));
        assertThat(t.latestRestorableTime()).as("700 ended after the archived end").isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void observe_failuresAfterTheLastSuccess_failingSinceTheFirstUntilASuccess() {
        ArchiveTracker t = new ArchiveTracker();
        Instant ok = T0.minusSeconds(60);
        t.observe(new Observation(T0, 4 * SEG + 1, 1, 1, SEG, "000000010000000000000003", ok,
                "000000010000000000000004", T0.minusSeconds(5)));
        t.observe(new Observation(T0.plusSeconds(30), 5 * SEG + 1, 2, 2, SEG, "000000010000000000000003", ok,
                "000000010000000000000004", T0.plusSeconds(25)));

        assertThat(t.failingSince()).isEqualTo(T0.minusSeconds(5));
        assertThat(t.error()).contains("000000010000000000000004");

        t.observe(new Observation(T0.plusSeconds(60), 6 * SEG, 2, 2, SEG, "000000010000000000000005",
                T0.plusSeconds(59), "000000010000000000000004", T0.plusSeconds(25)));

        assertThat(t.failingSince()).isNull();
        assertThat(t.error()).isNull();
        assertThat(t.latestRestorableTime()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void observe_newWriterBehindTheOldArchive_latestNeverGoesBack() {
        ArchiveTracker t = new ArchiveTracker();
        t.observe(look(0, 4 * SEG, 700, "000000010000000000000003"));
        t.observe(look(10, 4 * SEG + 10, 800, null));

        assertThat(t.latestRestorableTime()).isEqualTo(T0);
    }
}
