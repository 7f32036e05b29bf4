package io.multiaz.backup;

import io.multiaz.model.Lsn;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link InfoJson} on output recorded from pgBackRest 2.45 (src/test/resources/pgbackrest-2.45). */
final class InfoJsonTest {
    /** A recorded file, decoded as {@link io.multiaz.process.ProcessRunner} decodes output (bad UTF-8 replaced). */
    static String recorded(String name) {
        try (InputStream in = InfoJsonTest.class.getResourceAsStream("/pgbackrest-2.45/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing test resource pgbackrest-2.45/" + name, e);
        }
    }

    @Test
    void parse_threeSets_readsEverySetOldestFirst() {
        RepositoryInfo info = InfoJson.parse("demo2", recorded("three-sets.json"), OptionalDouble.empty());

        assertThat(info.status().state()).isEqualTo(StanzaStatus.State.OK);
        assertThat(info.running()).isEmpty();
        assertThat(info.backups()).extracting(BackupSet::label).containsExactly("20261203-134204F",
                "20261203-134204F_20261203-134221D", "20261203-134204F_20261203-134228I");
        BackupSet full = info.backups().get(0);
        assertThat(full.type()).isEqualTo(BackupType.FULL);
        assertThat(full.prior()).isEmpty();
        assertThat(full.references()).isEmpty();
        assertThat(full.annotations()).isEqualTo(Map.of("multiaz-kind", "automated", "multiaz-cluster", "demo2"));
        assertThat(full.started()).isEqualTo(Instant.ofEpochSecond(1796305324));
        assertThat(full.stopped()).isEqualTo(Instant.ofEpochSecond(1796305331));
        assertThat(full.size()).isEqualTo(new BackupSet.BackupSizes(493641694, 493641694, 24151792, 24151792));
        assertThat(full.lsnStart()).isEqualTo(Lsn.parse("0/1F000028"));
        assertThat(full.lsnStop()).isEqualTo(Lsn.parse("0/1F000100"));
        assertThat(full.walStart()).isEqualTo(new WalSegment("00000002000000000000001F"));
        assertThat(full.walStop().timeline()).isEqualTo(2);
        assertThat(full.databaseId()).isEqualTo(1);
        assertThat(full.checksumErrors()).isFalse();
        BackupSet incr = info.backups().get(2);
        assertThat(incr.type()).isEqualTo(BackupType.INCR);
        assertThat(incr.prior()).contains("20261203-134204F_20261203-134221D");
        assertThat(incr.references()).containsExactly("20261203-134204F", "20261203-134204F_20261203-134221D");
        assertThat(incr.annotations()).isEmpty();
        assertThat(info.backups().get(1).annotations()).containsEntry("multiaz-snapshot", "my snap");
        assertThat(info.latest()).contains(incr);
        assertThat(info.oldest()).contains(full);
    }

    @Test
    void parse_threeSets_readsTheArchiveAcrossTimelines() {
        RepositoryInfo info = InfoJson.parse("demo2", recorded("three-sets.json"), OptionalDouble.empty());

        assertThat(info.databases()).containsExactly(new StanzaDatabase(1, 7715070060681723728L, "15"));
        assertThat(info.currentArchive()).contains(new ArchiveRange("15-1", 1,
                Optional.of(new WalSegment("000000010000000000000001")),
                Optional.of(new WalSegment("000000020000000000000023"))));
    }

    @Test
    void parse_backupRunning_takesTheProgressFromTheLockFile() throws IOException {
        OptionalDouble fromLock = PgBackRestCalls.progressOf(recorded("backup.lock"));

        RepositoryInfo info = InfoJson.parse("demo2", recorded("backup-running.json"), fromLock);

        assertThat(fromLock).hasValue(18.17);
        assertThat(info.status().state()).isEqualTo(StanzaStatus.State.NO_BACKUPS);
        assertThat(info.running()).contains(new RunningBackup(OptionalDouble.of(18.17)));
        assertThat(info.running().orElseThrow().percentProgress()).isEqualTo(18);
    }

    @Test
    void parse_backupRunningBeforeCopying_hasNoProgress() throws IOException {
        OptionalDouble fromLock = PgBackRestCalls.progressOf("{\"execId\":\"14090-c9842d17\",\"pid\":14090}");

        RepositoryInfo info = InfoJson.parse("demo2", recorded("backup-running.json"), fromLock);

        assertThat(info.running().orElseThrow().percentComplete()).isEmpty();
        assertThat(info.running().orElseThrow().percentProgress()).isZero();
    }

    @Test
    void parse_sizesInTheLockSection_asPgBackRest248PrintsThem_winOverTheLockFile() {
        String json = recorded("backup-running.json").replace("\"held\":true", "\"held\":true,\"size-cplt\":250,\"size\":1000");

        RepositoryInfo info = InfoJson.parse("demo2", json, OptionalDouble.of(90));

        assertThat(info.running().orElseThrow().percentComplete()).hasValue(25.0);
    }

    @Test
    void parse_noBackups_reportsTheArchiveAndNoSets() {
        RepositoryInfo info = InfoJson.parse("demo2", recorded("no-backups.json"), OptionalDouble.empty());

        assertThat(info.status()).isEqualTo(new StanzaStatus(StanzaStatus.State.NO_BACKUPS, 2, "no valid backups"));
        assertThat(info.backups()).isEmpty();
        assertThat(info.latest()).isEmpty();
        assertThat(info.currentArchive().orElseThrow().max()).contains(new WalSegment("000000020000000000000006"));
    }

    @Test
    void parse_missingStanza_isMissingNotAnError() {
        RepositoryInfo info = InfoJson.parse("nope", recorded("missing-stanza.json"), OptionalDouble.empty());

        assertThat(info.status()).isEqualTo(new StanzaStatus(StanzaStatus.State.MISSING, 1, "missing stanza path"));
        assertThat(info.backups()).isEmpty();
        assertThat(info.archives()).isEmpty();
        assertThat(info.currentArchive()).isEmpty();
    }

    @Test
    void parse_wrongPassphrase_isAnErrorWithTheRepositorysPrintableMessage() {
        RepositoryInfo info = InfoJson.parse("demo2", recorded("wrong-passphrase.json"), OptionalDouble.empty());

        assertThat(info.status().state()).isEqualTo(StanzaStatus.State.ERROR);
        assertThat(info.status().code()).isEqualTo(99);
        assertThat(info.status().message()).startsWith("[FormatError] unable to load info file")
                .contains("HINT: has a stanza-create been performed?")
                .doesNotContain("\uFFFD", "\n", "\r").hasSizeLessThanOrEqualTo(601);
    }

    @Test
    void parse_unreadableRepository_isAnErrorNamingTheFile() {
        RepositoryInfo info = InfoJson.parse("demo2", recorded("unreadable-repo.json"), OptionalDouble.empty());

        assertThat(info.status().state()).isEqualTo(StanzaStatus.State.ERROR);
        assertThat(info.status().message()).contains("backup.info' for read: [13] Permission denied");
    }

    @Test
    void parse_anotherStanzasOutput_isUnreadable() {
        assertThatThrownBy(() -> InfoJson.parse("orders", recorded("three-sets.json"), OptionalDouble.empty()))
                .isInstanceOfSatisfying(BackupException.class, e ->
                        assertThat(e.reason()).isEqualTo(BackupException.Reason.UNREADABLE_OUTPUT))
                .hasMessageContaining("no stanza named orders");
    }

    @Test
    void parse_notJson_isUnreadable() {
        for (String text : List.of("stanza: demo2\n    status: ok", "{}", "")) {
            assertThatThrownBy(() -> InfoJson.parse("demo2", text, OptionalDouble.empty()))
                    .isInstanceOf(BackupException.class).hasMessageContaining("could not read pgbackrest info");
        }
    }

    @Test
    void parse_setWithoutItsLsn_isUnreadableNamingTheField() {
        String json = recorded("three-sets.json").replaceFirst("\"lsn\":\\{[^}]*},", "");

        assertThatThrownBy(() -> InfoJson.parse("demo2", json, OptionalDouble.empty()))
                .isInstanceOf(BackupException.class).hasMessageContaining("'lsn' is missing");
    }
}
