package io.multiaz.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How an instance's server archives its WAL and reads WAL it lacks: the settings multiaz writes into
 * postgresql.conf when the cluster has a backup repository. Every member archives
 * ({@code archive_mode = always}), so WAL reaches the repository from whichever member has it,
 * through failovers; the repository keeps one copy.
 *
 * @param archiveCommand {@code archive_command} (pgBackRest {@code archive-push %p})
 * @param restoreCommand {@code restore_command} (pgBackRest {@code archive-get %f "%p"}): a standby
 *                       that fell behind the writer's WAL reads the rest from the repository
 * @param archiveTimeout {@code archive_timeout}: the longest written WAL waits to be switched and archived
 */
public record Archiving(String archiveCommand, String restoreCommand, Duration archiveTimeout) {
    public Archiving {
        Objects.requireNonNull(archiveCommand, "archiveCommand");
        Objects.requireNonNull(restoreCommand, "restoreCommand");
        Objects.requireNonNull(archiveTimeout, "archiveTimeout");
        if (archiveCommand.contains("\n") || restoreCommand.contains("\n")) {
            throw new IllegalArgumentException("archive and restore commands must fit on one line");
        }
        if (archiveTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("archive_timeout must be at least 1 s, got " + archiveTimeout);
        }
    }
}
