package io.multiaz.backup;

import io.multiaz.model.BackupStatus.Backup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class BackupScheduleTest {
    private static final String WINDOW = "03:00-03:30";

    private static Backup backup(String label, String type, String start) {
        Instant s = Instant.parse(start);
        return new Backup(label, type, s, s.plus(Duration.ofMinutes(2)), 1 << 20, 1 << 18);
    }

    @Test
    void due_noBackupYet_fullAtOnceWhateverTheWindow() {
        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T14:00:00Z"), 1, WINDOW, List.of(), null))
                .contains(BackupType.FULL);
    }

    @Test
    void due_retentionZero_never() {
        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T03:10:00Z"), 0, WINDOW, List.of(), null)).isEmpty();
    }

    @Test
    void due_outsideTheWindow_nothing() {
        List<Backup> taken = List.of(backup("F1", "full", "2026-12-02T14:00:00Z"));

        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T02:59:59Z"), 7, WINDOW, taken, null)).isEmpty();
        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T03:30:00Z"), 7, WINDOW, taken, null)).isEmpty();
    }

    @Test
    void due_inTheWindowNotTakenYet_differentialOnceThenNothing() {
        List<Backup> taken = List.of(backup("F1", "full", "2026-12-02T14:00:00Z"));
        Instant now = Instant.parse("2026-12-03T03:00:00Z");

        assertThat(BackupSchedule.due(now, 7, WINDOW, taken, null)).contains(BackupType.DIFF);
        List<Backup> after = List.of(taken.getFirst(), backup("D1", "diff", "2026-12-03T03:00:01Z"));
        assertThat(BackupSchedule.due(now.plusSeconds(600), 7, WINDOW, after, null)).isEmpty();
    }

    @Test
    void due_aSnapshotsFullSetIsTheNewest_fullSoNoAutomatedBackupBuildsOnIt() {
        List<Backup> taken = List.of(backup("F1", "full", "2026-12-02T14:00:00Z"));

        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T03:00:00Z"), 7, WINDOW, taken, null, false))
                .contains(BackupType.FULL);
    }

    @Test
    void due_lastFullAWeekOld_fullAgain() {
        List<Backup> taken = List.of(backup("F1", "full", "2026-11-26T03:00:00Z"),
                backup("D1", "diff", "2026-12-02T03:00:00Z"));

        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T03:05:00Z"), 7, WINDOW, taken, null))
                .contains(BackupType.FULL);
    }

    @Test
    void due_failedRecently_waitsForTheRetryDelay() {
        Instant failed = Instant.parse("2026-12-03T14:00:00Z");

        assertThat(BackupSchedule.due(failed.plusSeconds(29), 1, WINDOW, List.of(), failed)).isEmpty();
        assertThat(BackupSchedule.due(failed.plus(BackupSchedule.RETRY), 1, WINDOW, List.of(), failed))
                .contains(BackupType.FULL);
    }

    @Test
    void due_windowSpanningMidnight_afterMidnightCountsAsTheWindowOfTheDayBefore() {
        List<Backup> taken = List.of(backup("F1", "full", "2026-12-02T12:00:00Z"),
                backup("D1", "diff", "2026-12-02T23:40:00Z"));

        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T00:10:00Z"), 7, "23:30-00:15", taken, null))
                .isEmpty();
        assertThat(BackupSchedule.due(Instant.parse("2026-12-03T23:31:00Z"), 7, "23:30-00:15", taken, null))
                .contains(BackupType.DIFF);
    }

    @Test
    void expired_fullsOlderThanTheOneCoveringTheRetentionStart_withTheirDependents() {
        List<Backup> taken = List.of(backup("F1", "full", "2026-11-20T03:00:00Z"),
                backup("D1", "diff", "2026-11-21T03:00:00Z"),
                backup("F2", "full", "2026-11-27T03:00:00Z"),
                backup("D2", "diff", "2026-11-28T03:00:00Z"),
                backup("F3", "full", "2026-12-03T03:00:00Z"));

        assertThat(BackupSchedule.expired(Instant.parse("2026-12-03T12:00:00Z"), 3, taken)).containsExactly("F1");
        assertThat(BackupSchedule.expired(Instant.parse("2026-12-03T12:00:00Z"), 7, taken)).isEmpty();
        assertThat(BackupSchedule.expired(Instant.parse("2026-12-05T12:00:00Z"), 1, taken))
                .containsExactly("F1", "F2");
    }
}
