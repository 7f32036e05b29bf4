package io.multiaz.model;


import java.util.List;
import java.util.Set;

/**
 * One observation of the local database server, taken once per HA cycle.
 *
 * @param running        the postmaster process is alive
 * @param accepting      it accepts connections and was queried for the fields below
 * @param inRecovery     {@code pg_is_in_recovery()}
 * @param timeline       current timeline (0 when unknown)
 * @param flushedLsn     primary: {@code pg_current_wal_flush_lsn()}; standby: last received and flushed
 * @param replayedLsn    standby: last replayed; primary: same as flushed
 * @param upstream       name of the member the configuration follows (standby), else null
 * @param streaming      WAL receiver status is {@code streaming}
 * @param syncStandbyNames current {@code synchronous_standby_names}
 * @param slots          names of the permanent physical replication slots on this server
 * @param replicas       {@code pg_stat_replication} rows (primary)
 * @param serverPid      postmaster pid, 0 when not running
 * @param systemId       database system identifier from pg_control, null when no data
 * @param waitingCommits primary: sessions waiting more than a second for a synchronous standby
 * @param pendingRestart a parameter in its configuration files takes effect only at its next start
 *                       ({@code pg_settings.pending_restart})
 */
public record LocalServer(DataState data, boolean running, boolean accepting, boolean inRecovery, long timeline,
                          Lsn flushedLsn, Lsn replayedLsn, String upstream, boolean streaming,
                          String syncStandbyNames, Set<String> slots, List<ReplicaLink> replicas,
                          long serverPid, String systemId, int waitingCommits, boolean pendingRestart) {
    public LocalServer(DataState data, boolean running, boolean accepting, boolean inRecovery, long timeline,
                       Lsn flushedLsn, Lsn replayedLsn, String upstream, boolean streaming, String syncStandbyNames,
                       Set<String> slots, List<ReplicaLink> replicas, long serverPid, String systemId) {
        this(data, running, accepting, inRecovery, timeline, flushedLsn, replayedLsn, upstream, streaming,
                syncStandbyNames, slots, replicas, serverPid, systemId, 0, false);
    }

    public LocalServer {
        slots = slots == null ? Set.of() : Set.copyOf(slots);
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
        flushedLsn = flushedLsn == null ? Lsn.ZERO : flushedLsn;
        replayedLsn = replayedLsn == null ? Lsn.ZERO : replayedLsn;
        syncStandbyNames = syncStandbyNames == null ? "" : syncStandbyNames;
    }

    /** A server that is not running, with the given data directory state. */
    public static LocalServer stopped(DataState data, String systemId) {
        return new LocalServer(data, false, false, false, 0, Lsn.ZERO, Lsn.ZERO, null, false, "", Set.of(),
                List.of(), 0, systemId);
    }
}
