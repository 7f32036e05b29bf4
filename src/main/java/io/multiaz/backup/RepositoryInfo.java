package io.multiaz.backup;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the repository holds for one stanza: its status, a backup running now, the backup sets
 * (oldest first), the archived WAL and the databases it has held.
 *
 * @param stanza    the stanza's name
 * @param status    whether it exists and is readable
 * @param running   a backup or expire holding the stanza's lock on this host now
 * @param backups   its backup sets, oldest first
 * @param archives  the WAL held for each database entry
 * @param databases the database entries, oldest first (the last is the current one)
 */
public record RepositoryInfo(String stanza, StanzaStatus status, Optional<RunningBackup> running,
                             List<BackupSet> backups, List<ArchiveRange> archives, List<StanzaDatabase> databases) {
    public RepositoryInfo {
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(running, "running");
        backups = backups.stream().sorted(Comparator.comparing(BackupSet::stopped).thenComparing(BackupSet::label)).toList();
        archives = List.copyOf(archives);
        databases = List.copyOf(databases);
    }

    /** The set labelled {@code label}. */
    public Optional<BackupSet> backup(String label) {
        return backups.stream().filter(b -> b.label().equals(label)).findFirst();
    }

    /** The newest set. */
    public Optional<BackupSet> latest() {
        return backups.isEmpty() ? Optional.empty() : Optional.of(backups.getLast());
    }

    /** The oldest set: its stop time is the earliest point the stanza can be restored to. */
    public Optional<BackupSet> oldest() {
        return backups.stream().findFirst();
    }

    /** The WAL held for the current database entry (the one new WAL goes to). */
    public Optional<ArchiveRange> currentArchive() {
        if (databases.isEmpty()) {
            return Optional.empty();
        }
        int current = databases.getLast().id();
        return archives.stream().filter(a -> a.databaseId() == current).findFirst();
    }
}
