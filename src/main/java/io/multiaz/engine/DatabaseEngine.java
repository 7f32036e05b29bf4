package io.multiaz.engine;

import io.multiaz.model.LocalServer;
import io.multiaz.model.Lsn;
import io.multiaz.model.Upstream;
import java.util.List;

/**
 * Drives one local database server: create, clone, configure, start and stop it, and report what
 * it is doing. One implementation per database ({@link PostgresEngine}); an in-memory fake for
 * unit tests. Methods block until done and throw {@link EngineException} on failure; a failed
 * call leaves no half-made data directory behind (work happens aside and is renamed into place).
 *
 * <p>Thread safety: called from one HA loop thread per instance; not safe for concurrent calls.
 */
public interface DatabaseEngine extends AutoCloseable {

    /** Observes data directory and server state; never throws (errors read as "not accepting"). */
    LocalServer observe();

    /** Creates a new data directory with initdb (data checksums on), configured as a primary. */
    void initialize();

    /**
     * On a freshly initialised running primary: creates the replication role, the internal
     * superuser's password, the master user, and one physical slot per standby.
     */
    void completeBootstrap(List<String> standbySlots);

    /** Replaces the (empty) data directory with a base backup of {@code upstream}. */
    void cloneFrom(Upstream upstream);

    /** Writes the configuration for {@code role} and starts the server; standbys follow {@code upstream}. */
    void start(ServerRole role, Upstream upstream);

    /** Points a running standby at {@code upstream} (configuration rewrite and reload). */
    void follow(Upstream upstream);

    /**
     * On the writer: sets {@code synchronous_standby_names} to {@code ANY quorum (standbys)}, makes
     * sure one physical replication slot exists per standby, and then drops every other permanent
     * physical slot (ending the walsender that uses it, if any): the writer owns its server's slots.
     */
    void configureWriter(int quorum, List<String> standbyNames, List<String> standbySlots);

    /** Stops the server (fast shutdown, immediate after a timeout); no-op when stopped. */
    void stop();

    /**
     * Makes {@code parameters} the server's parameters (name → value, as postgresql.conf takes
     * them): written now and at every later start, and reloaded into a running server, which
     * takes the dynamic ones at once and marks the static ones pending a restart.
     *
     * @throws EngineException when a name or value is not acceptable (nothing changes)
     */
    void applyParameters(java.util.Map<String, String> parameters);

    /**
     * Stops a writer cleanly for a switchover (fast shutdown: connected standbys receive all of its
     * WAL first) and returns where its shutdown checkpoint starts; a standby whose received position
     * is past it holds every commit. First waits, at most {@code drain}, until no client connection
     * is half-way through its handshake or inside a statement or transaction, so the stop ends only
     * idle sessions (zero: no wait).
     *
     * @throws EngineException when the server did not shut down cleanly
     */
    Lsn stopCleanly(java.time.Duration drain);

    /**
     * Stops the server at once (immediate shutdown, SIGKILL of the postmaster if that does not
     * finish within a second): the fastest way for a writer that lost its lease to stop taking
     * writes. Safe to call from any thread, concurrently with the HA loop. No-op when stopped.
     */
    void stopNow();

    /**
     * Stops a running standby's WAL receiver so its received position cannot move (the standby
     * keeps serving reads): rewrites its configuration without {@code primary_conninfo} and reloads.
     * Afterwards {@link LocalServer#upstream()} is null and {@link LocalServer#streaming()} false.
     */
    void detach();

    /**
     * Promotes a running standby to read-write and returns once it is out of recovery. The
     * synchronous standbys ({@code ANY quorum (standbyNames)}) are configured before promotion, so
     * not one commit is acknowledged on the new timeline without a standby holding it.
     */
    void promote(int quorum, List<String> standbyNames);

    /**
     * Makes a stopped former primary's data directory a standby of {@code upstream} with pg_rewind
     * (after a crash-recovery start and clean stop if pg_rewind needs one). Leaves the server stopped.
     *
     * @throws EngineException when pg_rewind cannot do it (the caller then re-clones)
     */
    void rewind(Upstream upstream);

    /**
     * Moves a stopped server's data directory aside ({@code data.old}) so {@link #cloneFrom} can fill
     * an empty one; the old copy is deleted only after a later clone succeeds.
     */
    void discardData();

    @Override
    void close();
}
