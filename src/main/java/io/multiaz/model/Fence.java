package io.multiaz.model;

import java.util.Objects;

/**
 * The persistent record of the last writer and its epoch. A new writer rewrites it with a version
 * check before it promotes, so an old writer's late actions can be recognised and refused.
 *
 * @param version the store's version of the record when read (-1 when building a new one)
 */
public record Fence(String writer, long epoch, int version) {
    public Fence {
        Objects.requireNonNull(writer, "writer");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch starts at 1, got " + epoch);
        }
    }
}
