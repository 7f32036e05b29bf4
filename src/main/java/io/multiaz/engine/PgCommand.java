package io.multiaz.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Thread safety: immutable; each call blocks the calling thread until the program exits. When
 * its timeout passes, the program and its descendants are killed; interrupting the caller does the
 * same and restores the interrupt flag.
 */
final class PgCommand {
    private static final Logger log = LoggerFactory.getLogger(PgCommand.class);
    private static final int TAIL_LINES = 15;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    private static final Path DEV_NULL = Path.of("/dev/null");

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
        List<String> command = command(inv);
        log.debug("{}: running {}", inv.what(), command);
        // stdin is /dev/null: no program here reads input, and postgres --single runs until end of input.
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL.toFile()))
                .directory(Path.of("/").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("LC_ALL", "C");
        env.putAll(inv.env());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new EngineException(inv.what() + " could not start " + command.getFirst() + ": " + e.getMessage()
                    + "; " + inv.nextStep(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().name("pg-output-" + inv.programName())
                .start(() -> drain(process, inv, tail, onLine));
        int exit = await(process, inv);
        joinReader(reader, process, inv);
        synchronized (tail) {
            return new Result(exit, new ArrayList<>(tail));
        }
    }

    private List<String> command(Invocation inv) {
        if (runAs == null) {
            return inv.argv();
        }
        List<String> command = new ArrayList<>(List.of("runuser", "-u", runAs, "--"));
        command.addAll(inv.argv());
        return command;
    }

    private static void drain(Process process, Invocation inv, Deque<String> tail, Consumer<String> onLine) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                synchronized (tail) {
                    tail.addLast(line.strip());
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                onLine.accept(line.strip());
            }
        } catch (IOException e) {
            log.debug("{}: output closed early ({}); the exit code still decides the outcome", inv.what(), e.toString());
        }
    }

    private static int await(Process process, Invocation inv) {
        try {
            if (!process.waitFor(inv.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process, inv);
                throw new EngineException(inv.what() + " did not finish within " + inv.timeout()
                        + " and was killed; " + inv.nextStep());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            kill(process, inv);
            Thread.currentThread().interrupt();
            throw new EngineException(inv.what() + " was interrupted and killed (the agent is shutting down); "
                    + "run it again when the agent is back", e);
        }
    }

    private static void kill(Process process, Invocation inv) {
        log.warn("{}: killing {} (pid {}) and its descendants", inv.what(), inv.programName(), process.pid());
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void joinReader(Thread reader, Process process, Invocation inv) {
        try {
            if (!reader.join(DRAIN_TIMEOUT)) {
                // A daemon the program left behind still holds the pipe; its output is not ours to wait for.
                log.debug("{}: output still open after exit; closing it", inv.what());
                process.getInputStream().close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.debug("{}: interrupted while collecting output; keeping what was read", inv.what());
        } catch (IOException e) {
            log.debug("{}: closing output failed ({}); ignoring it, the program has exited", inv.what(), e.toString());
        }
    }
}
