package io.multiaz.cli;

import io.multiaz.engine.EngineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** {@code multiaz}: runs a three-zone PostgreSQL cluster locally and reports on it. */
@Command(name = "multiaz", mixinStandardHelpOptions = true, version = "multiaz 0.1.0",
        description = "Self-hosted Multi-AZ PostgreSQL DB clusters: a writer and two readable standbys in three zones.",
        subcommands = {UpCommand.class, DownCommand.class, DestroyCommand.class, StatusCommand.class,
                SwitchoverCommand.class, FailoverCommand.class, PauseCommand.class, ResumeCommand.class,
                HistoryCommand.class, EventsCommand.class, AgentCommand.class, CommandLine.HelpCommand.class})
public final class MultiazCommand {

    /** Runs the command line and returns the exit status: 0 done, 1 failed, 2 usage error. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new MultiazCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UserError || e instanceof EngineException || e instanceof UncheckedIOException
                    || e instanceof IllegalArgumentException) {
                cmd.getErr().println("multiaz: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
