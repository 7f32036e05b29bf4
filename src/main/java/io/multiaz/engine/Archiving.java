package io.multiaz.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How an instance's server archives its WAL: the settings multiaz writes into postgresql.conf when
 * the cluster has a backup repository. Every member archives ({@code archive_mode = always}), so
 * WAL reaches the repository from whichever member has it, through failovers; the repository keeps
 * one copy. No member reads the repository ({@code restore_command}): that slowed promotion
 * (docs/HA.md).
 *
 * @param archiveCommand {@code archive_command} (pgBackRest {@code archive-push %p})
 * @param archiveTimeout {@code archive_timeout}: the longest written WAL waits to be switched and archived
 */
public record Archiving(String archiveCommand, Duration archiveTimeout) {
    public Archiving {
        Objects.requireNonNull(archiveCommand, "archiveCommand");
        Objects.requireNonNull(archiveTimeout, "archiveTimeout");
        if (archiveCommand.contains("\n")) {
            throw new IllegalArgumentException("the archive command must fit on one line");
        }
        if (archiveTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("archive_timeout must be at least 1 s, got " + archiveTimeout);
        }
    }
}
