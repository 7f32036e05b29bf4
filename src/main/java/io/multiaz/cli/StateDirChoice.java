package io.multiaz.cli;

import java.nio.file.Path;

/**
 * Which state directory a command uses and how it was found ({@link StateDirs#choose}). {@link #dir()}
 * is where the data lives, before it is resolved to its real path.
 */
sealed interface StateDirChoice {
    /** Where the data lives. */
    Path dir();

    /** {@code --state-dir} or {@code $MULTIAZ_STATE_DIR} named it: used as given ({@code up} refuses it out of reach). */
    record Given(Path dir) implements StateDirChoice {
    }

    /** {@code ./.multiaz} itself: a directory already, or absent and reachable by the servers' OS user. */
    record InCheckout(Path dir) implements StateDirChoice {
    }

    /** {@code ./.multiaz} is a symbolic link ({@code up} made it): the data lives where it points. */
    record Linked(Path link, Path dir) implements StateDirChoice {
    }

    /**
     * {@code ./.multiaz} is absent (or an empty directory, left by an {@code up} that stopped at the
     * reachability check) and the servers' OS user cannot reach it because {@code blockedAt} is closed
     * to others: the data lives in {@code dir} under {@link StateDirs#RELOCATION_ROOT}, which
     * {@code up} creates and makes {@code link} point to. Later commands find {@code dir} through the
     * link, or by the same derivation when the link was lost.
     *
     * @param replacesEmptyDir {@code link} is an empty directory now, which {@code up} removes first
     */
    record Relocated(Path link, Path dir, Path blockedAt, boolean replacesEmptyDir) implements StateDirChoice {
    }
}
