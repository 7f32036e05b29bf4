package io.multiaz.backup;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a restore's recovery stops. Every kind ends with the restored server promoting itself to
 * a new timeline once recovery reaches the target.
 */
public sealed interface RestoreTarget {
    /**
     * The state of one backup set: recovery replays only the WAL needed to make the set consistent
     * ({@code --type=immediate}), i.e. the cluster as of the set's stop time.
     *
     * @param label the set's label
     */
    record Snapshot(String label) implements RestoreTarget {
        public Snapshot {
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * The cluster as of {@code time}: the newest set that ended before it, then WAL replayed,
     * following timeline switches, up to the first commit after {@code time} (excluded). Recovery
     * needs that later commit in the archive: with none (a time after the last archived commit, e.g.
     * on an idle cluster) the restored server stops at start with FATAL "recovery ended before
     * configured recovery target was reached". So a latest restorable time is the time of a commit
     * known to be archived; for a time after it, restore {@link Latest} instead.
     */
    record PointInTime(Instant time) implements RestoreTarget {
        public PointInTime {
            Objects.requireNonNull(time, "time");
        }
    }

    /**
     * Everything the archive holds: the latest set, then all archived WAL on the latest timeline,
     * promoting at its end ({@code --type=default}). The segment a server is still writing is not
     * archived, so this reaches the last completed segment.
     */
    record Latest() implements RestoreTarget {
    }
}
