package io.multiaz.ha;

import java.util.Objects;
import java.util.Optional;

/**
 * One HA cycle's outcome: the action and the first-person sentence naming the fact that decided
 * it. The reason is logged, published on the member's record and shown verbatim to users; code
 * never reads it. What code needs to know about a decision is in its fields: the action, and
 * whether doing nothing is a refusal.
 *
 * @param refusal present when the decision refuses something the cluster expects of me; then the
 *                action is {@link Action.NoAction}
 */
public record Decision(Action action, String reason, Optional<Refusal> refusal) {
    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(refusal, "refusal");
        if (refusal.isPresent() && !(action instanceof Action.NoAction)) {
            throw new IllegalArgumentException("a refusal does nothing, but the action is " + action);
        }
    }

    /** A decision that refuses nothing. */
    public Decision(Action action, String reason) {
        this(action, reason, Optional.empty());
    }

    static Decision of(Action action, String reason) {
        return new Decision(action, reason);
    }

    static Decision none(String reason) {
        return new Decision(new Action.NoAction(), "no action: " + reason);
    }

    /** Doing nothing because I refuse {@code refusal}; {@code reason} says what I refuse and what would lift it. */
    static Decision refused(Refusal refusal, String reason) {
        return new Decision(new Action.NoAction(), "no action: " + reason, Optional.of(refusal));
    }
}
