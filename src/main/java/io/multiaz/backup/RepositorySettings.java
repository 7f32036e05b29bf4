package io.multiaz.backup;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a deployment's pgBackRest repository lives and how it is written. Everything multiaz keeps
 * for it is under {@code home}: the configuration file, the passphrase, the logs and locks of
 * pgBackRest's own commands and, for a local repository, the repository itself.
 *
 * @param home        the directory for it all, e.g. {@code <state-dir>/backups}
 * @param s3          an S3-compatible store holding the repository; empty: {@code home/repo}
 * @param compression how WAL and backup files are compressed
 * @param processMax  processes a backup or restore uses to copy files (pgBackRest's {@code process-max})
 * @param repository  the local repository's directory when not {@code home/repo} (another disk); null for that
 */
public record RepositorySettings(Path home, Optional<S3Repository> s3, Compression compression, int processMax,
                                 Path repository) {
    /** The processes a backup or restore uses by default: two, as the hosts are small. */
    public static final int DEFAULT_PROCESS_MAX = 2;

    public RepositorySettings {
        Objects.requireNonNull(home, "home");
        if (!home.isAbsolute()) {
            throw new IllegalArgumentException("the repository's home must be an absolute path, got " + home);
        }
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(compression, "compression");
        if (repository != null && !repository.isAbsolute()) {
            throw new IllegalArgumentException("the repository must be an absolute path, got " + repository);
        }
        if (processMax < 1 || processMax > 64) {
            throw new IllegalArgumentException("process-max must be between 1 and 64, got " + processMax);
        }
    }

    /** Settings whose local repository is {@code home/repo}. */
    public RepositorySettings(Path home, Optional<S3Repository> s3, Compression compression, int processMax) {
        this(home, s3, compression, processMax, null);
    }

    /** A local repository under {@code home/repo}, two processes. */
    public static RepositorySettings local(Path home, Compression compression) {
        return new RepositorySettings(home, Optional.empty(), compression, DEFAULT_PROCESS_MAX);
    }

    /** The configuration file every pgBackRest call names with {@code --config}. */
    public Path configFile() {
        return home.resolve("pgbackrest.conf");
    }

    /** The file holding the repository's encryption passphrase. */
    public Path passphraseFile() {
        return home.resolve("passphrase");
    }

    /** The local repository ({@code repo1-path}) when there is no S3 store. */
    public Path localRepository() {
        return repository != null ? repository : home.resolve("repo");
    }

    /** pgBackRest's log files of backups, restores and the other commands multiaz runs. */
    public Path logDir() {
        return home.resolve("log");
    }

    /** pgBackRest's lock files (its backup lock carries the progress of a running backup). */
    public Path lockDir() {
        return home.resolve("lock");
    }

    /** pgBackRest's spool directory for anything asynchronous not run from a server's archive_command. */
    public Path spoolDir() {
        return home.resolve("spool");
    }
}
