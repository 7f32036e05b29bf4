package io.multiaz;

import io.multiaz.cli.MultiazCommand;

/** Entry point of the {@code multiaz} command and of the agent processes it starts. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(MultiazCommand.run(args));
    }
}
