package io.multiaz.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory holding every PostgreSQL server program the engine runs. {@link #find} locates and
 * checks one; {@link #in} wraps a checked one, so an instance names a directory that held all the
 * programs when it was made.
 *
 * @param dir the bin directory, e.g. {@code /usr/lib/postgresql/15/bin}
 */
public record PgBinaries(Path dir) {
    /** Programs the engine runs; a bin directory missing any of them is refused. */
    public static final List<String> PROGRAMS =
            List.of("initdb", "pg_ctl", "postgres", "pg_basebackup", "pg_rewind", "pg_controldata");
    /** Where Debian and Ubuntu packages put one directory per major version. */
    public static final Path OS_PACKAGES = Path.of("/usr/lib/postgresql");
    /** Oldest major version multiaz supports. */
    public static final int MIN_MAJOR = 15;

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
    private static final String INSTALL = "install them: apt-get install postgresql-15 postgresql-contrib-15";

    public PgBinaries {
        Objects.requireNonNull(dir, "dir");
    }

    /** The path of one of {@link #PROGRAMS}. */
    public Path program(String name) {
        if (!PROGRAMS.contains(name)) {
            throw new IllegalArgumentException(name + " is not one of the programs checked by PgBinaries: " + PROGRAMS);
        }
        return dir.resolve(name);
    }

    /**
     * The bin directory to use: {@code preferred} when given (refused, not replaced, when it lacks a
     * program), else the highest {@code /usr/lib/postgresql/<N>/bin} with N ≥ 15 holding them all.
     *
     * @throws EngineException naming the directory looked at and how to install the binaries
     */
    public static Path find(Path preferred) {
        return find(preferred, OS_PACKAGES);
    }

    /**
     * The programs in {@code dir}, checked as {@link #find(Path)} checks a preferred directory.
     *
     * @throws EngineException naming the directory and how to install the binaries
     */
    public static PgBinaries in(Path dir) {
        return new PgBinaries(find(Objects.requireNonNull(dir, "dir"), OS_PACKAGES));
    }

    /** As {@link #find(Path)}, searching {@code packagesRoot} instead of {@link #OS_PACKAGES}. */
    static Path find(Path preferred, Path packagesRoot) {
        if (preferred != null) {
            List<String> missing = missing(preferred);
            if (!missing.isEmpty()) {
                throw new EngineException("PostgreSQL server binaries not found in " + preferred + " (missing "
                        + String.join(", ", missing) + "); " + INSTALL + ", or point binDir at a PostgreSQL "
                        + MIN_MAJOR + "+ bin directory");
            }
            return preferred;
        }
        return candidates(packagesRoot).stream()
                .filter(dir -> missing(dir).isEmpty())
                .findFirst()
                .orElseThrow(() -> new EngineException("PostgreSQL server binaries not found in " + packagesRoot
                        + "/<N>/bin (N >= " + MIN_MAJOR + ", with " + String.join(", ", PROGRAMS) + "); " + INSTALL));
    }

    /** {@code <root>/<N>/bin} for every numeric N ≥ {@link #MIN_MAJOR}, highest first. */
    private static List<Path> candidates(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions
                    .flatMap(p -> major(p).stream().filter(n -> n >= MIN_MAJOR).map(n -> new Versioned(n, p)))
                    .sorted(Comparator.comparingInt(Versioned::major).reversed())
                    .map(v -> v.dir().resolve("bin"))
                    .toList();
        } catch (IOException e) {
            throw new EngineException("could not list " + root + " to look for PostgreSQL binaries: " + e.getMessage()
                    + "; check its permissions or set binDir explicitly", e);
        }
    }

    private record Versioned(int major, Path dir) {
    }

    private static Optional<Integer> major(Path versionDir) {
        String name = versionDir.getFileName().toString();
        if (!name.matches("[0-9]{1,4}")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(name));
    }

    private static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String program : PROGRAMS) {
            Path p = dir.resolve(program);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                missing.add(program);
            }
        }
        return missing;
    }

    /**
     * The cluster state pg_controldata prints for {@code dataDir}, e.g. {@code shut down}; for a
     * directory whose server is not running (pg_controldata only reads pg_control).
     *
     * @throws EngineException when pg_controldata fails or prints no state
     */
    public String clusterState(Path dataDir) {
        String label = "Database cluster state:";
        AtomicReference<String> state = new AtomicReference<>();
        PgCommand.Result r = new PgCommand(null).exec(PgCommand.Invocation.of("pg_controldata -D " + dataDir,
                        Duration.ofSeconds(20), "check that " + dataDir + " is a complete data directory and that "
                                + dir.resolve("pg_controldata") + " runs",
                        List.of(dir.resolve("pg_controldata").toString(), "-D", dataDir.toString())),
                line -> {
                    if (line.startsWith(label)) {
                        state.set(line.substring(label.length()).strip());
                    }
                });
        if (state.get() == null) {
            throw new EngineException("pg_controldata printed no cluster state for " + dataDir + " ('"
                    + r.tailText() + "'); check that it is a complete data directory");
        }
        return state.get();
    }

    /** Whether {@code state} (from {@link #clusterState}) is one a clean shutdown leaves. */
    public static boolean cleanShutdown(String state) {
        return PgControlData.CLEAN_SHUTDOWN.contains(state);
    }

    /**
     * The server's {@code major.minor}, e.g. {@code 15.14}, as {@code postgres --version} prints it.
     *
     * @throws EngineException when the program does not run or prints something else
     */
    public String serverVersion() {
        Path postgres = dir.resolve("postgres");
        PgCommand.Result r = new PgCommand(null).exec(PgCommand.Invocation.of(postgres + " --version",
                Duration.ofSeconds(10), "check the binaries in " + dir, List.of(postgres.toString(), "--version")));
        String out = String.join("\n", r.tail());
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new EngineException(postgres + " --version printed '" + r.tailText()
                    + "', not a PostgreSQL version; check the binaries in " + dir);
        }
        return m.group(1) + "." + (m.group(2) == null ? "0" : m.group(2));
    }
}
