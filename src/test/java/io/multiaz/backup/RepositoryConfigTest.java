package io.multiaz.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration file {@link RepositoryConfig} writes, as ourselves (no other OS user needed). */
final class RepositoryConfigTest {
    @TempDir
    Path tmp;

    private final SecureRandom random = new SecureRandom();

    @Test
    void write_localRepository_writesEveryGlobalOption() throws IOException {
        RepositorySettings settings = RepositorySettings.local(tmp.resolve("backups"), Compression.ZST);

        RepositoryConfig config = RepositoryConfig.write(settings, null, random);

        String passphrase = Files.readString(settings.passphraseFile()).strip();
        Path home = tmp.resolve("backups");
        assertThat(config.file()).isEqualTo(home.resolve("pgbackrest.conf"));
        assertThat(Files.readAllLines(config.file())).contains("[global]",
                "repo1-type=posix",
                "repo1-path=" + home.resolve("repo"),
                "repo1-cipher-type=aes-256-cbc",
                "repo1-cipher-pass=" + passphrase,
                "repo1-retention-full-type=count",
                "repo1-retention-full=9999999",
                "compress-type=zst",
                "process-max=2",
                "start-fast=y",
                "archive-mode-check=n",
                "log-level-console=warn",
                "log-level-file=info",
                "log-path=" + home.resolve("log"),
                "lock-path=" + home.resolve("lock"),
                "spool-path=" + home.resolve("spool"));
        // asynchronous archiving is asked for in archive_command only: a global one would make every
        // restore_command asynchronous too, sharing one spool between servers
        assertThat(Files.readString(config.file())).doesNotContain("archive-async", "repo1-s3");
        assertThat(passphrase).hasSize(64).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void write_repositoryOnAnotherDisk_repoPathThereAndTheSecretsStayHome() throws IOException {
        Path home = tmp.resolve("backups");
        RepositorySettings settings = new RepositorySettings(home, java.util.Optional.empty(), Compression.ZST,
                RepositorySettings.DEFAULT_PROCESS_MAX, tmp.resolve("mnt/backups"));

        RepositoryConfig config = RepositoryConfig.write(settings, null, random);

        assertThat(Files.readAllLines(config.file())).contains("repo1-path=" + tmp.resolve("mnt/backups"));
        assertThat(tmp.resolve("mnt/backups")).isDirectory();
        assertThat(home.resolve("passphrase")).exists();
        assertThat(tmp.resolve("mnt/backups/passphrase")).doesNotExist();
    }

    @Test
    void write_localRepository_keepsSecretsPrivateAndDirectoriesReady() throws IOException {
        RepositorySettings settings = RepositorySettings.local(tmp.resolve("backups"), Compression.GZ);

        RepositoryConfig.write(settings, null, random);

        assertThat(Files.getPosixFilePermissions(settings.configFile())).isEqualTo(OwnedFiles.PRIVATE_FILE);
        assertThat(Files.getPosixFilePermissions(settings.passphraseFile())).isEqualTo(OwnedFiles.PRIVATE_FILE);
        for (Path dir : new Path[] {settings.home(), settings.localRepository(), settings.logDir(), settings.lockDir(),
                settings.spoolDir()}) {
            assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        }
        try (var left = Files.list(settings.home())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void write_again_keepsThePassphrase() throws IOException {
        RepositorySettings settings = RepositorySettings.local(tmp.resolve("backups"), Compression.GZ);
        RepositoryConfig.write(settings, null, random);
        String first = Files.readString(settings.passphraseFile());
        Files.writeString(settings.localRepository().resolve("backup.info"), "data");

        RepositoryConfig.write(new RepositorySettings(settings.home(), Optional.empty(), Compression.LZ4, 4), null,
                random);

        assertThat(Files.readString(settings.passphraseFile())).isEqualTo(first);
        assertThat(Files.readString(settings.configFile())).contains("repo1-cipher-pass=" + first.strip(),
                "compress-type=lz4", "process-max=4");
    }

    @Test
    void write_byManyAgentsAtOnce_givesThemAllOnePassphrase() throws Exception {
        RepositorySettings settings = RepositorySettings.local(tmp.resolve("backups"), Compression.ZST);
        int agents = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(agents);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(agents)) {
            List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < agents; i++) {
                writes.add(pool.submit(() -> {
                    together.await();
                    return RepositoryConfig.write(settings, null, new SecureRandom());
                }));
            }
            for (var w : writes) {
                w.get();
            }
        }

        String passphrase = Files.readString(settings.passphraseFile()).strip();
        assertThat(Files.readAllLines(settings.configFile())).contains("repo1-cipher-pass=" + passphrase);
        try (var left = Files.list(settings.home())) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void write_passphraseLostBesideARepositoryWithData_refusesToMakeANewOne() throws IOException {
        RepositorySettings settings = RepositorySettings.local(tmp.resolve("backups"), Compression.GZ);
        RepositoryConfig.write(settings, null, random);
        Files.createDirectories(settings.localRepository().resolve("archive"));
        Files.delete(settings.passphraseFile());

        assertThatThrownBy(() -> RepositoryConfig.write(settings, null, random))
                .isInstanceOfSatisfying(BackupException.class, e ->
                        assertThat(e.reason()).isEqualTo(BackupException.Reason.CONFIGURATION))
                .hasMessageContaining("passphrase file " + settings.passphraseFile() + " is missing")
                .hasMessageContaining("put back the passphrase file");
        assertThat(settings.passphraseFile()).doesNotExist();
    }

    @Test
    void write_emptyPassphraseFile_isRefused() throws IOException {
        RepositorySettings settings = RepositorySettings.local(tmp.resolve("backups"), Compression.GZ);
        Files.createDirectories(settings.home());
        Files.writeString(settings.passphraseFile(), "\n");

        assertThatThrownBy(() -> RepositoryConfig.write(settings, null, random))
                .isInstanceOf(BackupException.class).hasMessageContaining("is empty");
    }

    @Test
    void write_s3Repository_writesTheStoreAndItsKeyButNoLocalRepository() throws IOException {
        Path credentials = tmp.resolve("s3-credentials");
        Files.writeString(credentials, "[default]\n# the test key\naws_access_key_id = AKIAEXAMPLE\n"
                + "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n");
        S3Repository s3 = new S3Repository("multiaz-backups", "minio.internal", 9000, "us-east-1", "/prod",
                credentials, true, false, Optional.of(Path.of("/etc/ssl/minio-ca.pem")));
        RepositorySettings settings = new RepositorySettings(tmp.resolve("backups"), Optional.of(s3), Compression.ZST,
                2);

        RepositoryConfig config = RepositoryConfig.write(settings, null, random);

        assertThat(Files.readAllLines(config.file())).contains("repo1-type=s3", "repo1-path=/prod",
                "repo1-s3-bucket=multiaz-backups", "repo1-s3-endpoint=minio.internal", "repo1-storage-port=9000",
                "repo1-s3-region=us-east-1", "repo1-s3-uri-style=path", "repo1-storage-verify-tls=n",
                "repo1-storage-ca-file=/etc/ssl/minio-ca.pem", "repo1-s3-key=AKIAEXAMPLE",
                "repo1-s3-key-secret=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "repo1-cipher-type=aes-256-cbc");
        assertThat(Files.readString(config.file())).doesNotContain("repo1-type=posix");
        assertThat(settings.localRepository()).doesNotExist();
    }

    @Test
    void write_awsBucket_usesHostStyleAndChecksTls() throws IOException {
        Path credentials = tmp.resolve("s3-credentials");
        Files.writeString(credentials, "aws_access_key_id=AKIAEXAMPLE\naws_secret_access_key=secret-value\n");
        RepositorySettings settings = new RepositorySettings(tmp.resolve("backups"),
                Optional.of(S3Repository.aws("multiaz-backups", "eu-west-1", "/", credentials)), Compression.ZST, 2);

        RepositoryConfig config = RepositoryConfig.write(settings, null, random);

        assertThat(Files.readAllLines(config.file())).contains("repo1-s3-endpoint=s3.eu-west-1.amazonaws.com",
                "repo1-storage-port=443", "repo1-s3-uri-style=host", "repo1-storage-verify-tls=y");
        assertThat(Files.readString(config.file())).doesNotContain("repo1-storage-ca-file");
    }

    @Test
    void write_s3CredentialsWithoutTheSecret_saysWhichLinesAreNeededWithoutQuotingTheFile() throws IOException {
        Path credentials = tmp.resolve("s3-credentials");
        Files.writeString(credentials, "aws_access_key_id = AKIAEXAMPLE\naws_secret = not-the-right-name\n");
        RepositorySettings settings = new RepositorySettings(tmp.resolve("backups"),
                Optional.of(S3Repository.aws("multiaz-backups", "eu-west-1", "/", credentials)), Compression.ZST, 2);

        assertThatThrownBy(() -> RepositoryConfig.write(settings, null, random))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("needs both an 'aws_access_key_id = …' and an 'aws_secret_access_key = …' line")
                .hasMessageNotContaining("not-the-right-name").hasMessageNotContaining("AKIAEXAMPLE");
        assertThat(settings.configFile()).doesNotExist();
    }

    @Test
    void s3Credentials_toString_hidesTheSecret() {
        assertThat(new S3Credentials("AKIAEXAMPLE", "very-secret").toString()).doesNotContain("very-secret");
    }
}
