package io.multiaz.engine;

import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs one program to completion, as the server's OS user when one is configured
 * ({@code runuser -u <user> -- …}), and turns a failure into an {@link EngineException} that quotes
 * the program's last output lines and says what to do next.
 *
 * <p>The child gets the agent's environment without any {@code PG*} variable (a stray PGHOST or
 * PGOPTIONS would silently redirect or alter the command), plus {@code LC_ALL=C} so messages are
 * English and parseable, plus what the {@link Invocation} adds. Its standard input is
 * {@code /dev/null}. Output (stdout and stderr merged)
 * goes to the debug log, or to the caller's line consumer, and its last lines are kept for errors.
 * The PostgreSQL conventions live here; running, draining and killing is {@link ProcessRunner}'s.
 *
 * <p>Thread safety: immutable; each call blocks the calling thread until the program exits. When
 * its timeout passes, the program and its descendants are killed; interrupting the caller does the
 * same and restores the interrupt flag.
 */
final class PgCommand {
    private static final Logger log = LoggerFactory.getLogger(PgCommand.class);
    private static final int TAIL_LINES = 15;
    private static final Path ROOT = Path.of("/");
    private static final ProcessRunner RUNNER = new ProcessRunner();

    private final String runAs;

    /** @param runAs OS user to run programs as, or null to run them as ourselves */
    PgCommand(String runAs) {
        this.runAs = runAs == null || runAs.equals(System.getProperty("user.name")) ? null : runAs;
    }

    /**
     * One program call.
     *
     * @param what     what the call does, for messages ("initdb of db-1")
     * @param argv     program path and arguments
     * @param env      variables to add to the child's environment (e.g. PGPASSWORD)
     * @param nextStep what the operator should do when it fails, appended to the error message
     */
    record Invocation(String what, List<String> argv, Map<String, String> env, Duration timeout, String nextStep) {
        Invocation {
            Objects.requireNonNull(what, "what");
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(nextStep, "nextStep");
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("a program to run is required for " + what);
            }
        }

        static Invocation of(String what, Duration timeout, String nextStep, List<String> argv) {
            return new Invocation(what, argv, Map.of(), timeout, nextStep);
        }

        Invocation withEnv(Map<String, String> extra) {
            return new Invocation(what, argv, extra, timeout, nextStep);
        }

        String programName() {
            return Path.of(argv.getFirst()).getFileName().toString();
        }

        /** The call without its secrets: the names of the variables it sets, not their values. */
        @Override
        public String toString() {
            String names = String.join(", ", env.keySet().stream().sorted().toList());
            return what + ": " + String.join(" ", argv) + (env.isEmpty() ? "" : " (sets " + names + ")");
        }
    }

    /** How a finished program ended, with its last output lines. */
    record Result(int exitCode, List<String> tail) {
        Result {
            tail = List.copyOf(tail);
        }

        String tailText() {
            return tail.isEmpty() ? "(no output)" : String.join(" | ", tail);
        }
    }

    /** Runs the program; throws when it exits non-zero, times out or cannot be started. */
    Result run(Invocation inv) {
        return run(inv, line -> log.debug("{}: {}", inv.programName(), line));
    }

    /** As {@link #run(Invocation)}, handing each output line to {@code onLine} on a helper thread. */
    Result run(Invocation inv, Consumer<String> onLine) {
        Result result = exec(inv, onLine);
        if (result.exitCode() != 0) {
            throw new EngineException(inv.what() + " failed (" + inv.programName() + " exited with "
                    + result.exitCode() + "): " + result.tailText() + "; " + inv.nextStep());
        }
        return result;
    }

    /** Runs the program and returns its exit code; throws only when it times out or cannot be started. */
    Result exec(Invocation inv) {
        return exec(inv, line -> log.debug("{}: {}", inv.programName(), line));
    }

    /** As {@link #exec(Invocation)}, handing each output line to {@code onLine} on a helper thread. */
    Result exec(Invocation inv, Consumer<String> onLine) {
        try {
            ProcessResult r = RUNNER.run(command(inv), inv.timeout(), line -> {
                if (!line.isBlank()) {
                    onLine.accept(line.strip());
                }
            });
            return new Result(r.exitCode(), r.lastLines(TAIL_LINES));
        } catch (ProcessException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    /**
     * The runner's command for {@code inv}: in {@code /} (readable by the server's user), with stdin
     * {@code /dev/null} (no program here reads input, and postgres --single runs until end of input).
     */
    private Command command(Invocation inv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LC_ALL", "C");
        env.putAll(inv.env());
        Command command = Command.of(inv.what(), inv.nextStep(), inv.argv()).withoutInheritedEnv("PG").withEnv(env)
                .inDirectory(ROOT);
        return runAs == null ? command : command.asUser(runAs);
    }
}
