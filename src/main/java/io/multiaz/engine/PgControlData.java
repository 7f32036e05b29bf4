package io.multiaz.engine;

import io.multiaz.model.Lsn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a data directory's pg_control with pg_controldata: the database system identifier and the
 * cluster state. The identifier never changes for a given directory, so it is cached until the
 * directory itself is replaced (initdb and clone rename a new one into place, which changes its
 * file key); the state is read afresh each time.
 *
 * <p>Thread safety: not thread-safe; called from the instance's HA loop thread only.
 */
final class PgControlData {
    private static final String LABEL = "Database system identifier:";
    private static final String STATE_LABEL = "Database cluster state:";
    private static final String CHECKPOINT_LABEL = "Latest checkpoint location:";
    /** Cluster states after a clean shutdown, as pg_controldata prints them. */
    static final Set<String> CLEAN_SHUTDOWN = Set.of("shut down", "shut down in recovery");

    private final PgBinaries bin;
    private final PgCommand command;
    private Object cachedKey;
    private String cachedId;

    PgControlData(PgBinaries bin, PgCommand command) {
        this.bin = bin;
        this.command = command;
    }

    /**
     * The system identifier of {@code dataDir}, e.g. {@code 7301234567890123456}.
     *
     * @throws EngineException when pg_controldata fails or prints no identifier
     */
    String systemId(Path dataDir) {
        Object key = fileKey(dataDir);
        if (cachedId != null && Objects.equals(key, cachedKey)) {
            return cachedId;
        }
        AtomicReference<String> id = new AtomicReference<>();
        PgCommand.Result r = command.run(PgCommand.Invocation.of("reading pg_control of " + dataDir,
                Duration.ofSeconds(20), "check that " + dataDir + " is a complete data directory",
                List.of(bin.program("pg_controldata").toString(), "-D", dataDir.toString())),
                line -> {
                    if (line.startsWith(LABEL)) {
                        id.set(line.substring(LABEL.length()).strip());
                    }
                });
        if (id.get() == null || !id.get().matches("[0-9]+")) {
            throw new EngineException("pg_controldata printed no system identifier for " + dataDir + " ("
                    + r.tailText() + "); check that the data directory is complete");
        }
        cachedKey = key;
        cachedId = id.get();
        return cachedId;
    }

    /**
     * The cluster state of {@code dataDir} as pg_controldata prints it, e.g. {@code shut down} or
     * {@code in production} (the latter also for a server that crashed or was stopped immediately).
     *
     * @throws EngineException when pg_controldata fails or prints no state
     */
    String clusterState(Path dataDir) {
        return field(dataDir, STATE_LABEL, "cluster state");
    }

    /**
     * Where the last checkpoint record of {@code dataDir} starts; after a clean shutdown, the
     * shutdown checkpoint, so a standby that received WAL past it has everything the server wrote.
     */
    Lsn latestCheckpoint(Path dataDir) {
        return Lsn.parse(field(dataDir, CHECKPOINT_LABEL, "latest checkpoint location"));
    }

    private String field(Path dataDir, String label, String what) {
        AtomicReference<String> value = new AtomicReference<>();
        PgCommand.Result r = command.run(PgCommand.Invocation.of("reading pg_control of " + dataDir,
                Duration.ofSeconds(20), "check that " + dataDir + " is a complete data directory",
                List.of(bin.program("pg_controldata").toString(), "-D", dataDir.toString())),
                line -> {
                    if (line.startsWith(label)) {
                        value.set(line.substring(label.length()).strip());
                    }
                });
        if (value.get() == null || value.get().isEmpty()) {
            throw new EngineException("pg_controldata printed no " + what + " for " + dataDir + " ("
                    + r.tailText() + "); check that the data directory is complete");
        }
        return value.get();
    }

    private static Object fileKey(Path dir) {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            throw new EngineException("could not read " + dir + ": " + e + "; check that it exists and is readable", e);
        }
    }
}
