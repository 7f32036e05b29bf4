package io.multiaz.backup;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * pgBackRest's restore options for a target, checked against what the repository holds before
 * anything runs. For a time, the set is chosen here rather than by pgBackRest: its timestamps have
 * whole seconds, and a set whose stop second equals the target's may become consistent after the
 * target, which PostgreSQL refuses only when the restored server starts.
 */
final class RestorePlan {
    /** PostgreSQL's timestamptz input, in UTC with microseconds. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private RestorePlan() {
    }

    /**
     * The options restoring {@code target} from {@code info}'s stanza.
     *
     * @throws BackupException ({@link BackupException.Reason#REFUSED}) saying why the repository cannot serve it
     */
    static List<String> options(RepositoryInfo info, RestoreTarget target) {
        StanzaStatus.State state = info.status().state();
        if (state == StanzaStatus.State.MISSING || state == StanzaStatus.State.ERROR) {
            throw refused(info, target, "the stanza is not usable (" + info.status().message() + "); check"
                    + " pgbackrest info");
        }
        if (info.backups().isEmpty()) {
            throw refused(info, target, "the stanza holds no backup set yet; take a backup first");
        }
        return switch (target) {
            case RestoreTarget.Snapshot s -> {
                if (info.backup(s.label()).isEmpty()) {
                    throw refused(info, target, "the stanza holds no backup set " + s.label() + "; pick one that"
                            + " pgbackrest info lists");
                }
                yield List.of("--set=" + s.label(), "--type=immediate", "--target-action=promote");
            }
            case RestoreTarget.PointInTime p -> {
                BackupSet set = info.backups().stream().filter(b -> !consistentAfter(b, p)).reduce((a, b) -> b)
                        .orElseThrow(() -> refused(info, target, "the earliest restorable time is "
                                + consistentBy(info.oldest().orElseThrow()) + ", just after the oldest backup set "
                                + info.oldest().orElseThrow().label() + " ended; pick a later time"));
                yield List.of("--set=" + set.label(), "--type=time", "--target=" + TIME.format(p.time()) + "+00",
                        "--target-timeline=latest", "--target-action=promote");
            }
            case RestoreTarget.Latest l -> List.of("--type=default");
        };
    }

    /** Whether {@code set} may become consistent only after the target time. */
    private static boolean consistentAfter(BackupSet set, RestoreTarget.PointInTime p) {
        return p.time().isBefore(consistentBy(set));
    }

    /** A time by which the set is surely consistent: its stop time is truncated to the second. */
    private static java.time.Instant consistentBy(BackupSet set) {
        return set.stopped().plusSeconds(1);
    }

    private static BackupException refused(RepositoryInfo info, RestoreTarget target, String why) {
        return new BackupException(BackupException.Reason.REFUSED, "cannot restore " + info.stanza() + " to "
                + target + ": " + why);
    }
}
