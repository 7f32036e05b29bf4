package io.multiaz.backup;

import io.multiaz.process.Command;
import io.multiaz.process.ProcessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link PgBackRest} builds without running pgBackRest: server commands, checks of its input, its errors. */
final class PgBackRestTest {
    private static final Path PROGRAM = Path.of("/usr/bin/pgbackrest");
    private static final RepositorySettings SETTINGS =
            RepositorySettings.local(Path.of("/var/lib/multiaz/backups"), Compression.ZST);
    private static final PgTarget WRITER = new PgTarget(Path.of("/var/lib/multiaz/orders-1/data"), 5433,
            Path.of("/var/lib/multiaz/orders-1/socket"), "dbadmin");

    @TempDir
    Path tmp;

    private final PgBackRest pgBackRest = new PgBackRest(RepositoryConfig.existing(SETTINGS), null, PROGRAM);

    @Test
    void archivePushCommand_plainPaths_isAnAsynchronousPushWithTheInstancesOwnDirectories() {
        String command = pgBackRest.archivePushCommand("orders", Path.of("/var/lib/multiaz/orders-1/data"),
                Path.of("/var/lib/multiaz/orders-1/pgbackrest"));

        assertThat(command).isEqualTo("/usr/bin/pgbackrest --config=/var/lib/multiaz/backups/pgbackrest.conf"
                + " --stanza=orders --pg1-path=/var/lib/multiaz/orders-1/data"
                + " --lock-path=/var/lib/multiaz/orders-1/pgbackrest/lock"
                + " --log-path=/var/lib/multiaz/orders-1/pgbackrest/log --log-level-file=warn --archive-async"
                + " --spool-path=/var/lib/multiaz/orders-1/pgbackrest/spool archive-push %p");
    }

    @Test
    void archivePushCommand_pathWithASpaceAndQuote_isQuotedForTheShell() {
        String command = pgBackRest.archivePushCommand("orders", Path.of("/srv/my data/it's"), Path.of("/srv/work"));

        assertThat(command).contains(" --pg1-path='/srv/my data/it'\\''s' ");
    }

    @Test
    void archivePushCommand_holdsNoSecret() {
        RepositoryConfig config = RepositoryConfig.write(RepositorySettings.local(tmp, Compression.GZ), null,
                new SecureRandom());
        PgBackRest local = new PgBackRest(config, null, PROGRAM);
        String passphrase = readPassphrase(config);

        assertThat(local.archivePushCommand("orders", tmp.resolve("data"), tmp.resolve("work")))
                .doesNotContain(passphrase).doesNotContain("cipher");
    }

    @Test
    void stanza_badName_isRefusedBeforeAnythingRuns() {
        for (String bad : List.of("", "-orders", "orders; rm -rf /", "a".repeat(64))) {
            assertThatThrownBy(() -> pgBackRest.archivePushCommand(bad, Path.of("/d"), Path.of("/w")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a stanza name is");
        }
    }

    @Test
    void backup_badAnnotation_isRefusedBeforeAnythingRuns() {
        PgBackRest missing = new PgBackRest(RepositoryConfig.existing(SETTINGS), null, tmp.resolve("no-such-program"));

        assertThatThrownBy(() -> missing.backup("orders", WRITER, List.of(), BackupType.FULL,
                Map.of("bad key", "v"), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annotation key");
        assertThatThrownBy(() -> missing.backup("orders", WRITER, List.of(), BackupType.FULL,
                Map.of("key", "two\nlines"), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without control characters");
    }

    @Test
    void info_programMissing_isNotRunNamingTheProgram() {
        PgBackRest missing = new PgBackRest(RepositoryConfig.existing(SETTINGS), null, tmp.resolve("no-such-program"));

        assertThatThrownBy(() -> missing.info("orders"))
                .isInstanceOfSatisfying(BackupException.class, e ->
                        assertThat(e.reason()).isEqualTo(BackupException.Reason.NOT_RUN))
                .hasMessageContaining("info of orders could not start " + tmp.resolve("no-such-program"));
    }

    @Test
    void failure_pgBackRestError_quotesItsLineAndSaysWhatToDo() {
        PgBackRestCalls calls = new PgBackRestCalls(RepositoryConfig.existing(SETTINGS), null, PROGRAM);
        ProcessResult result = new ProcessResult(Command.of("backup", "", List.of("pgbackrest")), 50,
                "ERROR: [050]: unable to acquire lock on file '/var/lib/multiaz/backups/lock/orders-backup.lock':"
                        + " Resource temporarily unavailable\n       HINT: is another pgBackRest process running?\n",
                Duration.ofMillis(40));

        BackupException e = calls.failure("full backup of orders", result);

        assertThat(e.reason()).isEqualTo(BackupException.Reason.FAILED);
        assertThat(e.errorCode()).hasValue(50);
        assertThat(e).hasMessage("full backup of orders failed: pgBackRest said '[050]: unable to acquire lock on file"
                + " '/var/lib/multiaz/backups/lock/orders-backup.lock': Resource temporarily unavailable | HINT: is"
                + " another pgBackRest process running?'; another backup, expire or stanza command of this stanza is"
                + " running; wait for it to end");
    }

    @Test
    void failure_noErrorLine_quotesTheEndOfTheOutputAndTheLogs() {
        PgBackRestCalls calls = new PgBackRestCalls(RepositoryConfig.existing(SETTINGS), null, PROGRAM);
        ProcessResult result = new ProcessResult(Command.of("info", "", List.of("pgbackrest")), 1,
                "runuser: user postgres does not exist\n", Duration.ofMillis(5));

        BackupException e = calls.failure("info of orders", result);

        assertThat(e.errorCode()).isEmpty();
        assertThat(e).hasMessage("info of orders failed (pgbackrest exited with 1): runuser: user postgres does not"
                + " exist; see pgBackRest's logs in /var/lib/multiaz/backups/log");
    }

    @Test
    void pgOptions_nameTheServerByIndex() {
        assertThat(PgBackRestCalls.pgOptions(2, WRITER)).containsExactly("--pg2-path=/var/lib/multiaz/orders-1/data",
                "--pg2-port=5433", "--pg2-socket-path=/var/lib/multiaz/orders-1/socket", "--pg2-user=dbadmin");
    }

    private static String readPassphrase(RepositoryConfig config) {
        try {
            return Files.readString(config.settings().passphraseFile()).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
