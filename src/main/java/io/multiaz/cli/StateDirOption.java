package io.multiaz.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --state-dir} option shared by every command. */
final class StateDirOption {
    @Option(names = "--state-dir", defaultValue = "${MULTIAZ_STATE_DIR:-.multiaz}", paramLabel = "DIR",
            description = "Where multiaz keeps its data, logs and pid files (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    Path path() {
        return stateDir.toAbsolutePath().normalize();
    }
}
