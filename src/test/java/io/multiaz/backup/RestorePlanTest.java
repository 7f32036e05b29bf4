package io.multiaz.backup;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restore options for each target over the recorded repository of three sets (F, D, I). */
final class RestorePlanTest {
    private static final RepositoryInfo THREE_SETS =
            InfoJson.parse("demo2", InfoJsonTest.recorded("three-sets.json"), OptionalDouble.empty());
    private static final String FULL = "20261203-134204F";
    private static final String DIFF = "20261203-134204F_20261203-134221D";
    /** The full set stopped at 1796305331 s, the diff at 1796305346 s, the incr at 1796305353 s. */
    private static final Instant FULL_STOP = Instant.ofEpochSecond(1796305331);
    private static final Instant DIFF_STOP = Instant.ofEpochSecond(1796305346);

    @Test
    void options_snapshot_restoresTheSetToItsConsistentPointAndPromotes() {
        assertThat(RestorePlan.options(THREE_SETS, new RestoreTarget.Snapshot(DIFF)))
                .containsExactly("--set=" + DIFF, "--type=immediate", "--target-action=promote");
    }

    @Test
    void options_pointInTime_picksTheNewestSetSurelyConsistentBeforeIt() {
        Instant target = DIFF_STOP.plusMillis(1500);

        assertThat(RestorePlan.options(THREE_SETS, new RestoreTarget.PointInTime(target)))
                .containsExactly("--set=" + DIFF, "--type=time", "--target=2026-12-03 13:42:27.500000+00",
                        "--target-timeline=latest", "--target-action=promote");
    }

    @Test
    void options_pointInTimeWithinTheStopSecondOfASet_takesTheSetBefore() {
        // the diff set stopped somewhere in [DIFF_STOP, DIFF_STOP + 1 s): it may not be consistent yet at +0.5 s
        assertThat(RestorePlan.options(THREE_SETS, new RestoreTarget.PointInTime(DIFF_STOP.plusMillis(500))))
                .contains("--set=" + FULL);
    }

    @Test
    void options_pointInTimeBeforeTheOldestSetIsConsistent_isRefusedWithTheEarliestTime() {
        assertThatThrownBy(() -> RestorePlan.options(THREE_SETS, new RestoreTarget.PointInTime(FULL_STOP)))
                .isInstanceOfSatisfying(BackupException.class, e ->
                        assertThat(e.reason()).isEqualTo(BackupException.Reason.REFUSED))
                .hasMessageContaining("the earliest restorable time is 2026-12-03T13:42:12Z")
                .hasMessageContaining("pick a later time");
    }

    @Test
    void options_latest_replaysTheWholeArchive() {
        assertThat(RestorePlan.options(THREE_SETS, new RestoreTarget.Latest())).containsExactly("--type=default");
    }

    @Test
    void options_unknownSet_isRefused() {
        assertThatThrownBy(() -> RestorePlan.options(THREE_SETS, new RestoreTarget.Snapshot("20200101-000000F")))
                .isInstanceOf(BackupException.class).hasMessageContaining("holds no backup set 20200101-000000F");
    }

    @Test
    void options_stanzaWithoutSetsOrMissing_isRefused() {
        RepositoryInfo none = InfoJson.parse("demo2", InfoJsonTest.recorded("no-backups.json"), OptionalDouble.empty());
        RepositoryInfo missing =
                InfoJson.parse("nope", InfoJsonTest.recorded("missing-stanza.json"), OptionalDouble.empty());

        assertThatThrownBy(() -> RestorePlan.options(none, new RestoreTarget.Latest()))
                .isInstanceOf(BackupException.class).hasMessageContaining("holds no backup set yet");
        assertThatThrownBy(() -> RestorePlan.options(missing, new RestoreTarget.Latest()))
                .isInstanceOf(BackupException.class).hasMessageContaining("missing stanza path");
    }
}
