package io.multiaz.backup;

import io.multiaz.config.BackupLayout;
import io.multiaz.process.ProcessRunner;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Opens the deployment's backup repository for an agent: finds pgBackRest, learns the compression
 * this build has, and writes the configuration (and, the first time, the passphrase) under an
 * exclusive file lock, so agents of one host starting together agree on one passphrase.
 */
public final class Repositories {
    private Repositories() {
    }

    /**
     * pgBackRest on the repository {@code layout} describes, its files under {@code home}
     * ({@code <state-dir>/backups}).
     *
     * @param runAs the servers' OS user (pgBackRest runs as it); null: ourselves
     * @throws BackupException when pgBackRest is missing or the files cannot be written
     */
    public static PgBackRest open(Path home, BackupLayout layout, String runAs) {
        ProcessRunner runner = new ProcessRunner();
        Path program = PgBackRest.findProgram();
        Compression compression = Compression.detect(runner, program, runAs);
        RepositorySettings settings = new RepositorySettings(home, layout.s3() == null ? Optional.empty()
                : Optional.of(s3(layout.s3())), compression, RepositorySettings.DEFAULT_PROCESS_MAX);
        RepositoryConfig config;
        try {
            Files.createDirectories(home);
            try (FileChannel lockFile = FileChannel.open(home.resolve(".setup.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                config = RepositoryConfig.write(settings, runAs, new SecureRandom());
            }
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "cannot prepare the backup repository's"
                    + " files in " + home + ": " + e + "; check that the directory is writable by the agent", e);
        }
        return new PgBackRest(config, runAs, program, runner);
    }

    private static S3Repository s3(BackupLayout.S3 s3) {
        return new S3Repository(s3.bucket(), s3.endpoint(), 443, s3.region(), s3.path(), Path.of(s3.keyFile()),
                s3.uriStyle().equals("path"), s3.verifyTls(), Optional.empty());
    }
}
