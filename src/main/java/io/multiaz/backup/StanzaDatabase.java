package io.multiaz.backup;

import java.util.Objects;

/**
 * One PostgreSQL cluster a stanza has held: a new entry appears after a major upgrade
 * ({@code stanza-upgrade}); backups and WAL name the entry they belong to.
 *
 * @param id       the entry's number in the stanza
 * @param systemId the cluster's system identifier (pg_control)
 * @param version  its major version, e.g. {@code 15}
 */
public record StanzaDatabase(int id, long systemId, String version) {
    public StanzaDatabase {
        Objects.requireNonNull(version, "version");
    }
}
