package io.multiaz.backup;

import java.util.Objects;

/**
 * The state of a stanza as {@code pgbackrest info} reports it.
 *
 * @param state   what it means for multiaz
 * @param code    pgBackRest's status code (0 ok, 1 missing stanza path, 2 no valid backups, 3
 *                missing stanza data, 4-6 mixed or mismatched repositories, 99 other error)
 * @param message pgBackRest's message; for an error, the repository's own error text
 */
public record StanzaStatus(State state, int code, String message) {
    /** What a status means for multiaz. */
    public enum State {
        /** The stanza exists and holds at least one valid backup. */
        OK,
        /** The stanza exists but holds no valid backup yet. */
        NO_BACKUPS,
        /** There is no stanza (never created, or deleted): create it before archiving or backing up. */
        MISSING,
        /** The repository could not be read (passphrase, permissions, storage unreachable, mismatch). */
        ERROR
    }

    public StanzaStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
    }

    /** The status for pgBackRest's {@code code} and {@code message}. */
    public static StanzaStatus of(int code, String message) {
        State state = switch (code) {
            case 0 -> State.OK;
            case 2 -> State.NO_BACKUPS;
            case 1, 3 -> State.MISSING;
            default -> State.ERROR;
        };
        return new StanzaStatus(state, code, message);
    }
}
