package io.multiaz.engine;

import io.multiaz.model.Upstream;

import java.util.Objects;

/**
 * The role-dependent part of one server's configuration: whether it runs as the writer or as a
 * standby, whom a standby follows, and the writer's {@code synchronous_standby_names}.
 *
 * @param upstream         the member a standby streams from; null for a primary, and for a standby
 *                         that replays local WAL only until a writer is known
 * @param syncStandbyNames the writer's synchronous standbys; empty on a following standby, whose
 *                         file then carries {@link EngineSettings#promotionSyncNames()}
 */
record PgServerConfig(ServerRole role, Upstream upstream, String syncStandbyNames) {
    PgServerConfig {
        Objects.requireNonNull(role, "role");
        syncStandbyNames = syncStandbyNames == null ? "" : syncStandbyNames;
        if (role == ServerRole.STANDBY && upstream != null && !syncStandbyNames.isEmpty()) {
            // only a detached standby about to be promoted carries its future synchronous standbys
            throw new IllegalArgumentException("a following standby has no synchronous standbys, got "
                    + syncStandbyNames);
        }
        if (role == ServerRole.PRIMARY && upstream != null) {
            throw new IllegalArgumentException("a primary follows nobody, got upstream " + upstream.name());
        }
    }

    static PgServerConfig primary(String syncStandbyNames) {
        return new PgServerConfig(ServerRole.PRIMARY, null, syncStandbyNames);
    }

    static PgServerConfig standby(Upstream upstream) {
        return new PgServerConfig(ServerRole.STANDBY, upstream, "");
    }
}
