package io.multiaz.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code --state-dir} option shared by every command, and where it leads ({@link StateDirs#choose}):
 * the named directory, else {@code $MULTIAZ_STATE_DIR}, else {@code ./.multiaz} or, when that is a
 * link {@code up} made, where it points. Read once per command.
 */
final class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where multiaz keeps its data, logs and pid files (default: $MULTIAZ_STATE_DIR, else "
                    + "./.multiaz; as root, when the postgres OS user cannot reach ./.multiaz, 'up' puts the data under "
                    + "/var/lib/multiaz and makes ./.multiaz a link to it).")
    String stateDir;

    private StateDirChoice choice;

    /** Where this command's state directory is and how it was found. */
    StateDirChoice choice() {
        if (choice == null) {
            Path cwd = Path.of("").toAbsolutePath();
            Path atDefault = cwd.resolve(StateDirs.DEFAULT);
            choice = StateDirs.choose(Optional.ofNullable(stateDir),
                    Optional.ofNullable(System.getenv("MULTIAZ_STATE_DIR")), cwd, StateDirs.inspect(atDefault), StateDirs.reach(Os.isRoot() ? "postgres" : null));
        }
        return choice;
    }

    /** The state directory by its real path (no symbolic link in it): what agents and servers are given. */
    Path path() {
        return StateDirs.realPath(choice().dir());
    }

    /**
     * What a hint must add to a command for it to find this state directory: nothing when it was
     * found without a flag, else {@code " --state-dir DIR"}.
     */
    String flag() {
        boolean named = choice() instanceof StateDirChoice.Given g
                && !g.dir().equals(Path.of(StateDirs.DEFAULT).toAbsolutePath());
        return named ? " --state-dir " + path() : "";
    }

    /** The deployment in this state directory. */
    LocalSite site() {
        return new LocalSite(path(), flag());
    }
}
