package io.multiaz.model;

import java.util.Objects;

/**
 * The create-once bootstrap record of a cluster: which member won the right to run initdb, and
 * whether it finished (roles, slots and replication configured).
 *
 * @param systemId PostgreSQL's database system identifier once complete, else null
 */
public record Bootstrap(String owner, boolean complete, String systemId) {
    public Bootstrap {
        Objects.requireNonNull(owner, "owner");
    }
}
