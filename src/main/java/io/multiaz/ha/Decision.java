package io.multiaz.ha;

import java.util.Objects;

/**
 * One HA cycle's outcome: the action and the first-person sentence naming the fact that decided
 * it. The reason is logged, published on the member's record and shown verbatim to users.
 */
public record Decision(Action action, String reason) {
    public Decision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }

    static Decision of(Action action, String reason) {
        return new Decision(action, reason);
    }

    static Decision none(String reason) {
        return new Decision(new Action.NoAction(), "no action: " + reason);
    }
}
