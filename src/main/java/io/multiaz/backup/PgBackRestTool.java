package io.multiaz.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** {@link BackupTool} on pgBackRest ({@link PgBackRest}). Thread-safe as pgBackRest is (its own locks). */
public final class PgBackRestTool implements BackupTool {
    private final PgBackRest pgbackrest;

    public PgBackRestTool(PgBackRest pgbackrest) {
        this.pgbackrest = pgbackrest;
    }

    private static PgTarget target(Member m) {
        return new PgTarget(m.dataDir(), m.port(), m.socketDir(), m.user());
    }

    @Override
    public String archivePushCommand(String stanza, Path dataDir, Path workDir) {
        pgbackrest.createWorkDir(workDir);
        return pgbackrest.archivePushCommand(stanza, dataDir, workDir);
    }

    @Override
    public void createStanza(String stanza, Member writer) {
        pgbackrest.stanzaCreate(stanza, target(writer));
    }

    @Override
    public String backup(String stanza, Member writer, List<Member> standbys, BackupType type,
                         Map<String, String> annotations, Duration timeout) {
        return pgbackrest.backup(stanza, target(writer), standbys.stream().map(PgBackRestTool::target).toList(), type,
                annotations, timeout).label();
    }

    @Override
    public Stanza describe(String stanza) {
        RepositoryInfo info = pgbackrest.info(stanza);
        if (info.status().state() == StanzaStatus.State.ERROR) {
            throw new BackupException(BackupException.Reason.FAILED, "the repository cannot be read for stanza "
                    + stanza + ": " + info.status().message() + " (code " + info.status().code() + "); check the"
                    + " repository's disk or store and its permissions");
        }
        boolean exists = info.status().state() != StanzaStatus.State.MISSING;
        List<StoredSet> sets = info.backups().stream()
                .map(b -> new StoredSet(b.label(), b.type().word(), b.started(), b.stopped(), b.size().database(),
                        b.size().repositoryDelta(), b.annotations()))
                .toList();
        OptionalInt percent = info.running().map(r -> OptionalInt.of(r.percentProgress())).orElse(OptionalInt.empty());
        return new Stanza(exists, sets, percent);
    }

    @Override
    public void deleteStanza(String stanza) {
        pgbackrest.stanzaDelete(stanza);
    }

    @Override
    public void expire(String stanza, String label) {
        pgbackrest.expire(stanza, label);
        pgbackrest.expireArchive(stanza);
    }
}
