package io.multiaz.cli;

import io.multiaz.json.Json;
import io.multiaz.model.BackupStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class BackupLineTest {
    private static final Instant NOW = Instant.parse("2026-12-03T14:00:10Z");

    private static String line(BackupStatus status) {
        return BackupLine.of(status == null ? null : Json.mapper().valueToTree(status), NOW);
    }

    @Test
    void of_archivingWorksWithABackup_windowAndHowFarBehind() {
        Instant t = Instant.parse("2026-12-03T13:00:00Z");
        BackupStatus s = new BackupStatus("demo", "demo-0", "az-c", NOW, t, NOW.minusSeconds(4), null, null,
                new BackupStatus.Running("automated", "diff", NOW, "demo-2", 45),
                List.of(new BackupStatus.Backup("20261203-130000F", "full", t, t, 1, 1)), null, null);

        assertThat(line(s)).isEqualTo("backups (az-c, stanza demo-0): archiving ok; restorable 2026-12-03T13:00:00Z"
                + " to 2026-12-03T14:00:06Z (4 s ago); 1 automated backup; diff backup running from demo-2, 45 %");
    }

    @Test
    void of_archivingFailsBeforeTheFirstBackup_saysSoAndWhatToDo() {
        BackupStatus s = new BackupStatus("demo", "demo-0", "az-a", NOW, null, null, NOW.minusSeconds(30),
                "the server could not archive 000000010000000000000004", null, List.of(),
                "automated full backup failed: [056] unable to find standby", NOW);

        assertThat(line(s)).contains("ARCHIVING FAILS since 2026-12-03T13:59:40Z",
                "could not archive 000000010000000000000004", "fix the repository", "not restorable yet",
                "0 automated backups", "last failure at 2026-12-03T14:00:10Z: automated full backup failed");
        assertThat(line(null)).startsWith("backups: none yet");
    }
}
