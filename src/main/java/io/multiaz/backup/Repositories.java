package io.multiaz.backup;

import io.multiaz.config.BackupLayout;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Opens the deployment's backup repository for an agent: finds pgBackRest, learns the compression
 * this build has, and writes the configuration (and, the first time, the passphrase: agents of one
 * host starting together agree on one, {@link RepositoryConfig#write}).
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
        Path program = PgBackRest.findProgram();
        Compression compression = Compression.detect(program, runAs);
        RepositorySettings settings = new RepositorySettings(home, layout.s3() == null ? Optional.empty()
                : Optional.of(s3(layout.s3())), compression, RepositorySettings.DEFAULT_PROCESS_MAX,
                layout.repository() == null ? null : Path.of(layout.repository()));
        RepositoryConfig config = RepositoryConfig.write(settings, runAs, new SecureRandom());
        return new PgBackRest(config, runAs, program);
    }

    private static S3Repository s3(BackupLayout.S3 s3) {
        return new S3Repository(s3.bucket(), s3.endpoint(), 443, s3.region(), s3.path(), Path.of(s3.keyFile()),
                s3.uriStyle().equals("path"), s3.verifyTls(), Optional.empty());
    }
}
