package io.multiaz.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the backup owner needs of the backup tool (pgBackRest, {@link PgBackRestTool}): a stanza per
 * cluster, backups from a standby, the sets in the repository and their progress, expiry. Every
 * method throws {@link BackupException} with the tool's own words and what to do next.
 */
public interface BackupTool {
    /**
     * One server as the tool reaches it on this host.
     *
     * @param dataDir   its data directory
     * @param port      its port (the unix socket's name)
     * @param socketDir its unix socket directory
     * @param user      the database superuser the tool connects as
     */
    record Member(Path dataDir, int port, Path socketDir, String user) {
        public Member {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(socketDir, "socketDir");
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * A backup set in the repository.
     *
     * @param label       the tool's label ({@code 20261203-101500F}, {@code …_20261204-031000D})
     * @param type        {@code full}, {@code diff} or {@code incr}
     * @param annotations what multiaz noted on it ({@value BackupController#PURPOSE} and the like)
     */
    record StoredSet(String label, String type, Instant start, Instant stop, long sizeBytes, long repoBytes,
                     Map<String, String> annotations) {
        public StoredSet {
            Objects.requireNonNull(label, "label");
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }
    }

    /**
     * A stanza as the repository has it.
     *
     * @param exists         whether the stanza was created
     * @param sets           its backup sets, oldest first
     * @param runningPercent the progress of the backup running now, empty when none runs
     */
    record Stanza(boolean exists, List<StoredSet> sets, OptionalInt runningPercent) {
        public Stanza {
            sets = List.copyOf(sets);
            Objects.requireNonNull(runningPercent, "runningPercent");
        }
    }

    /**
     * PostgreSQL's {@code archive_command} for a member of {@code stanza} whose data directory is
     * {@code dataDir}; the tool's spool, lock and log files go under {@code workDir} (the instance's).
     */
    String archivePushCommand(String stanza, Path dataDir, Path workDir);

    /** Creates {@code stanza} for the cluster whose writer is {@code writer}; an existing matching one is fine. */
    void createStanza(String stanza, Member writer);

    /**
     * Takes a backup of type {@code type}, from the first of {@code standbys} that replays (from the
     * writer when the list is empty), noting {@code annotations} on it; returns its label.
     */
    String backup(String stanza, Member writer, List<Member> standbys, BackupType type,
                  Map<String, String> annotations, Duration timeout);

    /** The stanza's sets and the backup running now. */
    Stanza describe(String stanza);

    /** Removes {@code stanza} and everything of it from the repository; a missing stanza is fine. */
    void deleteStanza(String stanza);

    /** Expires the set {@code label} with the sets that depend on it, and the WAL no remaining set needs. */
    void expire(String stanza, String label);
}
