package io.multiaz.model;

/**
 * One standby's connection as the writer sees it in {@code pg_stat_replication}.
 *
 * @param syncState PostgreSQL's sync_state: {@code async}, {@code potential}, {@code sync} or {@code quorum}
 * @param lagBytes  writer's current flush position minus the standby's replayed position
 */
public record ReplicaLink(String name, String state, String syncState, Lsn flushLsn, Lsn replayLsn, long lagBytes) {
}
