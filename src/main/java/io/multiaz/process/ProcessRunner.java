package io.multiaz.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one place multiaz starts child processes. {@link #run} runs a {@link Command} to its end: its
 * output (standard output and error merged) is read on a separate thread while the caller waits,
 * so a chatty child never blocks on a full pipe, and only its last characters are kept; when the
 * timeout passes, or the waiting thread is interrupted, the child and its descendants are killed.
 * {@link #spawn} starts a long-running child that writes to a log file and is not waited for.
 *
 * <p>Standard input is {@code /dev/null} unless the command carries input. Commands are logged at
 * debug level through {@link Command#toString()}, which leaves out the values of the variables a
 * command sets and its input, and no message of this class quotes them.
 *
 * <p>Thread safety: immutable; any number of threads may run commands at once, each call blocking
 * its own thread until the child exits or is killed.
 */
public final class ProcessRunner {
    /** Characters of output a result keeps by default: the end of it, which says why a program failed. */
    public static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;
    /** How long to wait by default for the output to end after the child exited. */
    public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final ProcessBuilder.Redirect DEV_NULL = ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile());

    private final int outputLimit;
    private final Duration drainGrace;

    /** A runner keeping {@value #DEFAULT_OUTPUT_LIMIT} characters of output, waiting 2 s for it to end. */
    public ProcessRunner() {
        this(DEFAULT_OUTPUT_LIMIT, DEFAULT_DRAIN_GRACE);
    }

    /**
     * @param outputLimit characters of output a result keeps (the last ones); also the longest line
     *                    handed to a line consumer, a longer one arriving in pieces
     * @param drainGrace  how long to wait, once the child exited, for its output to end: a process it
     *                    left behind (a daemon) may hold the output open; after this it is no longer
     *                    waited for
     */
    public ProcessRunner(int outputLimit, Duration drainGrace) {
        if (outputLimit < 1) {
            throw new IllegalArgumentException("outputLimit must be at least 1 character, got " + outputLimit);
        }
        this.outputLimit = outputLimit;
        this.drainGrace = Objects.requireNonNull(drainGrace, "drainGrace");
    }

    /** As {@link #run(Command, Duration, Consumer)}, logging each output line at debug level. */
    public ProcessResult run(Command command, Duration timeout) {
        return run(command, timeout, line -> LOG.debug("{}: {}", command.programName(), line));
    }

    /**
     * Runs {@code command} until it exits and returns how it ended, whatever its exit status
     * ({@link ProcessResult#requireSuccess()} turns a non-zero one into an exception).
     *
     * @param timeout longest time to wait for it; then it and its descendants are killed
     * @param onLine  gets each output line, without its line end, on the reader thread, in order,
     *                until this method returns
     * @throws ProcessException when it cannot be started, runs past {@code timeout}, or the calling
     *                          thread is interrupted (the interrupt flag is restored)
     */
    public ProcessResult run(Command command, Duration timeout, Consumer<String> onLine) {
        Objects.requireNonNull(onLine, "onLine");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of " + command.what() + " must be positive, got "
                    + timeout);
        }
        ProcessBuilder pb = builder(command).redirectErrorStream(true)
                .redirectInput(command.input().isEmpty() ? DEV_NULL : ProcessBuilder.Redirect.PIPE);
        LOG.debug("running {}", command);
        long started = System.nanoTime();
        Process process = start(pb, command);
        OutputCapture capture = new OutputCapture(command.what(), outputLimit, onLine);
        Thread reader = Thread.ofVirtual().name("output-" + command.programName() + "-" + process.pid())
                .start(() -> capture.drain(process.getInputStream()));
        if (!command.input().isEmpty()) {
            feed(process, command);
        }
        int exit = await(process, command, timeout, reader, capture);
        return new ProcessResult(command, exit, capture.text(), Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Starts {@code command} and returns at once: a long-running child (a daemon, a watchdog) with
     * its output appended to {@code log} and {@code /dev/null} as input. The caller owns the
     * process: nothing here waits for it or stops it.
     *
     * @throws ProcessException when it cannot be started
     * @throws IllegalArgumentException when the command carries input (nothing would write it)
     */
    public Process spawn(Command command, Path log) {
        if (!command.input().isEmpty()) {
            throw new IllegalArgumentException(command.what() + " is started in the background, where nothing "
                    + "writes its input; give it its input through a file instead");
        }
        ProcessBuilder pb = builder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(DEV_NULL);
        Process process = start(pb, command);
        LOG.debug("started {} (pid {}), output to {}", command, process.pid(), log);
        return process;
    }

    private static ProcessBuilder builder(Command command) {
        ProcessBuilder pb = new ProcessBuilder(command.commandLine());
        command.directory().ifPresent(dir -> pb.directory(dir.toFile()));
        Map<String, String> env = pb.environment();
        for (String prefix : command.droppedEnv()) {
            env.keySet().removeIf(name -> name.startsWith(prefix));
        }
        env.putAll(command.env());
        return pb;
    }

    private static Process start(ProcessBuilder pb, Command command) {
        try {
            return pb.start();
        } catch (IOException e) {
            // the JDK's message names the program and the directory, never the environment
            throw new ProcessException(ProcessException.Failure.NOT_STARTED, command.what() + " could not start "
                    + command.commandLine().getFirst() + ": " + e.getMessage() + "; " + command.nextStep(), e);
        }
    }

    /** Writes the command's input on its own thread: a child that does not read must not block the wait. */
    private static void feed(Process process, Command command) {
        byte[] bytes = command.input().getBytes(StandardCharsets.UTF_8);
        Thread.ofVirtual().name("input-" + command.programName() + "-" + process.pid()).start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(bytes);
            } catch (IOException e) {
                LOG.debug("{}: the program stopped reading its input ({}); its exit status tells the outcome",
                        command.what(), e.toString());
            }
        });
    }

    private int await(Process process, Command command, Duration timeout, Thread reader, OutputCapture capture) {
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                finishReading(reader, capture, command);
                return process.exitValue();
            }
            int descendants = killTree(process, command);
            if (!process.waitFor(KILL_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("{}: pid {} still runs {} after SIGKILL (stuck in the kernel?); leaving it",
                        command.what(), process.pid(), describe(KILL_WAIT));
            }
            finishReading(reader, capture, command);
            throw new ProcessException(ProcessException.Failure.TIMED_OUT, command.what() + " ("
                    + String.join(" ", command.commandLine()) + ") did not finish within " + describe(timeout)
                    + " and was killed" + (descendants == 0 ? "" : " with its " + descendants + " descendant process"
                    + (descendants == 1 ? "" : "es")) + "; its last output: "
                    + ProcessResult.tailText(capture.text()) + "; " + command.nextStep());
        } catch (InterruptedException e) {
            killTree(process, command);
            capture.detach();
            Thread.currentThread().interrupt();
            throw new ProcessException(ProcessException.Failure.INTERRUPTED, command.what()
                    + " was interrupted and killed (this process is stopping); run it again when it is back", e);
        }
    }

    /**
     * Kills the child and every descendant it has now (a descendant that already left the tree,
     * e.g. a daemon that double-forked, is not ours to kill); returns how many descendants there were.
     */
    private static int killTree(Process process, Command command) {
        List<ProcessHandle> descendants = process.descendants().toList();
        LOG.warn("{}: killing {} (pid {}) and its {} descendant processes", command.what(), command.programName(),
                process.pid(), descendants.size());
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        return descendants.size();
    }

    private void finishReading(Thread reader, OutputCapture capture, Command command) {
        try {
            if (!reader.join(drainGrace)) {
                // A process the child left behind holds the pipe; its output is not ours to wait for. The
                // reader keeps draining it, so that process never blocks or dies writing to it.
                capture.detach();
                LOG.debug("{}: output still open {} after the exit; not waiting for it", command.what(),
                        describe(drainGrace));
            }
        } catch (InterruptedException e) {
            capture.detach();
            Thread.currentThread().interrupt();
            LOG.debug("{}: interrupted while collecting the output; keeping what was read", command.what());
        }
    }

    /** {@code 10 s} or {@code 250 ms}, for messages. */
    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
