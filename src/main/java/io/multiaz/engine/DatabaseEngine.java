package io.multiaz.engine;

import io.multiaz.model.LocalServer;
import io.multiaz.model.SyncStandbys;
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
     * On the writer: sets {@code synchronous_standby_names} to {@code ANY quorum (standbys)} and makes
     * sure one physical replication slot exists per standby.
     */
    void configureWriter(int quorum, List<String> standbyNames, List<String> standbySlots);

    /** Stops the server (fast shutdown, immediate after a timeout); no-op when stopped. */
    void stop();

    /** The {@code synchronous_standby_names} value {@link #configureWriter} sets. */
    static String syncStandbyNames(int quorum, List<String> standbyNames) {
        return SyncStandbys.format(quorum, standbyNames);
    }

    @Override
    void close();
}
