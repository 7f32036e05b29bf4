package io.multiaz.model;

import java.util.Objects;

/**
 * The writer lease as observed: who holds it, and whether the observing agent's own coordination
 * session holds it ({@code mine}). A lease naming me but not mine is left over from my previous
 * session, which the store has not yet expired.
 */
public record Lease(String holder, boolean mine) {
    public Lease {
        Objects.requireNonNull(holder, "holder");
    }
}
