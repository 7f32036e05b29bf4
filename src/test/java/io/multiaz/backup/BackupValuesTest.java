package io.multiaz.backup;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks in the backup package's value records. */
final class BackupValuesTest {
    @Test
    void walSegment_ordersByTimelineThenPosition() {
        WalSegment tl1 = new WalSegment("000000010000000000000022");
        WalSegment tl2 = new WalSegment("000000020000000000000006");

        assertThat(tl1).isLessThan(tl2);
        assertThat(tl2.timeline()).isEqualTo(2);
        assertThatThrownBy(() -> new WalSegment("000000010000000000000022.partial"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 upper-case hex digits");
    }

    @Test
    void pgTarget_relativePathOrOddRole_isRefused() {
        assertThatThrownBy(() -> new PgTarget(Path.of("data"), 5432, Path.of("/run"), "dbadmin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute paths");
        assertThatThrownBy(() -> new PgTarget(Path.of("/data"), 5432, Path.of("/run"), "db admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain role name");
        assertThatThrownBy(() -> new PgTarget(Path.of("/data"), 0, Path.of("/run"), "dbadmin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a TCP port");
    }

    @Test
    void s3Repository_endpointWithSchemeOrPrefixWithoutSlash_isRefused() {
        Path key = Path.of("/etc/multiaz/s3");
        assertThatThrownBy(() -> new S3Repository("bucket", "https://minio", 9000, "us-east-1", "/p", key, true, true,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without scheme");
        assertThatThrownBy(() -> new S3Repository("bucket", "minio", 9000, "us-east-1", "p", key, true, true,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> new S3Repository("Bucket_", "minio", 9000, "us-east-1", "/p", key, true, true,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket name");
    }

    @Test
    void repositorySettings_relativeHomeOrNoProcess_isRefused() {
        assertThatThrownBy(() -> RepositorySettings.local(Path.of("backups"), Compression.GZ))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> new RepositorySettings(Path.of("/b"), Optional.empty(), Compression.GZ, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("process-max");
    }

    @Test
    void runningBackup_percentOutsideTheRange_isRefused() {
        assertThatThrownBy(() -> new RunningBackup(OptionalDouble.of(100.5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RunningBackup(OptionalDouble.of(99.92)).percentProgress()).isEqualTo(99);
    }

    @Test
    void stanzaStatus_codes_mapToStates() {
        assertThat(StanzaStatus.of(0, "ok").state()).isEqualTo(StanzaStatus.State.OK);
        assertThat(StanzaStatus.of(2, "no valid backups").state()).isEqualTo(StanzaStatus.State.NO_BACKUPS);
        assertThat(StanzaStatus.of(3, "missing stanza data").state()).isEqualTo(StanzaStatus.State.MISSING);
        assertThat(StanzaStatus.of(99, "other").state()).isEqualTo(StanzaStatus.State.ERROR);
    }
}
