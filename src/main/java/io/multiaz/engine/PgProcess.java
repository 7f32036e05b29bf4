package io.multiaz.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Starts, stops, reloads and finds the postmaster of one data directory with pg_ctl. Whether it runs
 * is read from {@code postmaster.pid} (first line: the pid) and checked against {@code /proc}, so a
 * stale pid file left by a crash reads as "not running". The only process ever signalled directly is
 * the pid read from this data directory's own pid file, and only as a last resort.
 *
 * <p>The server outlives the agent: it runs detached (pg_ctl puts it in its own session) and
 * writes to the instance's log file.
 *
 * <p>Thread safety: not thread-safe; one call at a time per data directory, except {@link #stopNow()}
 * and {@link #pid()}, which hold no state (the pid is read afresh from the file) and may run on any
 * thread while another call is under way.
 */
final class PgProcess {
    private static final Logger log = LoggerFactory.getLogger(PgProcess.class);
    private static final int START_WAIT_SECONDS = 60;
    private static final int FAST_STOP_SECONDS = 20;
    private static final int IMMEDIATE_STOP_SECONDS = 10;
    private static final int LOG_TAIL_BYTES = 4096;
    private static final int EXIT_POLL_MILLIS = 5;
    private static final Duration STOP_NOW_WAIT = Duration.ofSeconds(1);

    private final EngineSettings settings;
    private final PgBinaries bin;
    private final PgCommand command;

    PgProcess(EngineSettings settings, PgBinaries bin, PgCommand command) {
        this.settings = settings;
        this.bin = bin;
        this.command = command;
    }

    /** The running postmaster's pid, or 0 when none runs for this data directory. Never throws. */
    long pid() {
        Path pidFile = settings.dataDir().resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.getFirst().strip().matches("[0-9]{1,10}")) {
                return 0;
            }
            long pid = Long.parseLong(lines.getFirst().strip());
            return isPostgres(pid) ? pid : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            log.debug("could not read {} ({}); treating the server as not running", pidFile, e.toString());
            return 0;
        }
    }

    private static boolean isPostgres(long pid) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            String text = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
            return text.contains("postgres");
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Starts the server and waits until it accepts connections. A server that is alive but still
     * recovering when the wait ends counts as started (logged); one that died is an error quoting
     * the end of its log.
     */
    void start() {
        String me = settings.instance().name();
        PgCommand.Result result = command.exec(PgCommand.Invocation.of("starting " + me,
                Duration.ofSeconds(START_WAIT_SECONDS + 30), "see " + settings.logFile(),
                List.of(pgCtl(), "start", "-D", settings.dataDir().toString(), "-l", settings.logFile().toString(),
                        "-w", "-t", Integer.toString(START_WAIT_SECONDS))));
        long pid = pid();
        if (result.exitCode() == 0 && pid > 0) {
            log.info("started {} (postmaster pid {})", me, pid);
            return;
        }
        if (pid > 0) {
            log.warn("{} runs (pid {}) but did not accept connections within {} s (still recovering?); "
                    + "observe() reports it as not accepting until it does", me, pid, START_WAIT_SECONDS);
            return;
        }
        throw new EngineException("starting " + me + " failed: " + result.tailText() + "; server log ends with: "
                + logTail() + "; fix the cause shown in " + settings.logFile() + " and start again");
    }

    /**
     * Stops the server: fast shutdown, then immediate, then SIGKILL of its postmaster; no-op when
     * stopped. Returns once the postmaster process has exited, not merely removed its pid file.
     */
    void stop() {
        String me = settings.instance().name();
        long pid = pid();
        if (pid == 0) {
            log.debug("{} is not running; nothing to stop", me);
            return;
        }
        fastStop(pid);
        if (pid() != 0) {
            log.warn("{} did not stop within {} s of a fast shutdown; trying an immediate shutdown", me,
                    FAST_STOP_SECONDS);
            pgCtlStop("immediate", IMMEDIATE_STOP_SECONDS, Duration.ofSeconds(IMMEDIATE_STOP_SECONDS + 10));
        }
        if (pid() != 0) {
            log.warn("{} still runs after an immediate shutdown; killing postmaster pid {}", me, pid);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        // The postmaster removes its pid file on the way out; wait for the exit itself.
        if (!awaitExit(pid, Duration.ofSeconds(IMMEDIATE_STOP_SECONDS))) {
            log.warn("postmaster {} has not exited {} s after shutdown; checking its pid file next", pid,
                    IMMEDIATE_STOP_SECONDS);
        }
        if (pid() != 0) {
            throw new EngineException("could not stop " + me + " (postmaster pid " + pid() + "); kill it by hand "
                    + "and check " + settings.logFile());
        }
        log.info("stopped {}", me);
    }

    /**
     * Stops the server at once: immediate shutdown (no checkpoint, clients cut off), and when its
     * postmaster is still alive {@link #STOP_NOW_WAIT} later, SIGKILL of the postmaster and its
     * children, each found by pid from this data directory's pid file. No-op when stopped. The next
     * start runs crash recovery. Safe on any thread; see the class comment.
     *
     * @throws EngineException when the postmaster is still alive after the kill
     */
    void stopNow() {
        String me = settings.instance().name();
        long pid = pid();
        if (pid == 0) {
            log.debug("{} is not running; nothing to stop now", me);
            return;
        }
        long started = System.nanoTime();
        try {
            // pg_ctl's own wait is whole seconds; the command timeout bounds a pg_ctl that hangs.
            pgCtlStop("immediate", (int) STOP_NOW_WAIT.toSeconds(), STOP_NOW_WAIT.plusSeconds(2));
        } catch (EngineException e) {
            log.warn("immediate shutdown of {} failed ({}); killing postmaster pid {} next", me, e.getMessage(), pid);
        }
        List<Long> killed = hasExited(pid) ? List.of() : kill(pid);
        long deadline = System.nanoTime() + STOP_NOW_WAIT.toNanos();
        if (!awaitExit(pid, STOP_NOW_WAIT)) {
            throw new EngineException("could not stop " + me + " at once: postmaster pid " + pid + " survived "
                    + "SIGKILL; kill it by hand and check " + settings.logFile());
        }
        // Backends left behind hold shared memory, and a server cannot start again until they are gone.
        for (long child : killed) {
            if (!awaitExit(child, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                log.warn("server process {} of {} has not exited after SIGKILL; the next start may wait for it",
                        child, me);
            }
        }
        log.info("stopped {} at once in {} ms (immediate shutdown)", me, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * SIGKILLs {@code pid} and its children if it is still this data directory's postmaster, and
     * returns the children's pids. They are listed first: once their parent is gone they are
     * re-parented and can no longer be told from other processes.
     */
    private List<Long> kill(long pid) {
        Optional<ProcessHandle> postmaster = pid() == pid ? ProcessHandle.of(pid) : Optional.empty();
        if (postmaster.isEmpty()) {
            return List.of();
        }
        List<ProcessHandle> children = postmaster.get().children().toList();
        log.warn("{} still runs {} after an immediate shutdown; sending SIGKILL to postmaster pid {} and its {} "
                + "children", settings.instance().name(), STOP_NOW_WAIT, pid, children.size());
        postmaster.get().destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        return children.stream().map(ProcessHandle::pid).toList();
    }

    /** Makes the running server re-read its configuration files (SIGHUP through pg_ctl). */
    void reload() {
        command.run(PgCommand.Invocation.of("reloading the configuration of " + settings.instance().name(),
                Duration.ofSeconds(30), "check that the server runs and see " + settings.logFile(),
                List.of(pgCtl(), "reload", "-D", settings.dataDir().toString(), "-s")));
    }

    /**
     * A fast shutdown (SIGINT to the postmaster, as {@code pg_ctl stop -m fast} sends), waited for
     * by polling the process every {@value #EXIT_POLL_MILLIS} ms: pg_ctl's own wait polls every
     * 100 ms, which a switchover would pay for.
     */
    private void fastStop(long pid) {
        PgCommand.Result r = command.exec(PgCommand.Invocation.of("stopping " + settings.instance().name(),
                Duration.ofSeconds(10), "see " + settings.logFile(),
                List.of(pgCtl(), "kill", "INT", Long.toString(pid))));
        if (r.exitCode() != 0) {
            log.debug("pg_ctl kill INT {} exited with {}: {}; stopping through pg_ctl stop", pid, r.exitCode(),
                    r.tailText());
            pgCtlStop("fast", FAST_STOP_SECONDS, Duration.ofSeconds(FAST_STOP_SECONDS + 10));
            return;
        }
        awaitExit(pid, Duration.ofSeconds(FAST_STOP_SECONDS));
    }

    private void pgCtlStop(String mode, int waitSeconds, Duration commandTimeout) {
        PgCommand.Result r = command.exec(PgCommand.Invocation.of("stopping " + settings.instance().name(),
                commandTimeout, "see " + settings.logFile(),
                List.of(pgCtl(), "stop", "-D", settings.dataDir().toString(), "-m", mode, "-w",
                        "-t", Integer.toString(waitSeconds))));
        if (r.exitCode() != 0) {
            log.debug("pg_ctl stop -m {} exited with {}: {}", mode, r.exitCode(), r.tailText());
        }
    }

    /** Waits up to {@code patience} for {@code pid} to exit; true when it did (a zombie counts as exited). */
    private static boolean awaitExit(long pid, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!hasExited(pid)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(EXIT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("interrupted while waiting for postmaster {} to exit; checking whether it runs next", pid);
                return hasExited(pid);
            }
        }
        return true;
    }

    /**
     * True when {@code pid} is gone or a zombie. An orphaned postmaster is reaped by init, which may
     * take seconds (or never happen in a container without one); a zombie holds no resources.
     */
    static boolean hasExited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) == 'Z';
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            log.debug("could not read /proc/{}/stat ({}); assuming the process is still there", pid, e.toString());
            return false;
        }
    }

    private String pgCtl() {
        return bin.program("pg_ctl").toString();
    }

    /** The last lines of the server log, joined for an error message. */
    private String logTail() {
        try (RandomAccessFile f = new RandomAccessFile(settings.logFile().toFile(), "r")) {
            long start = Math.max(0, f.length() - LOG_TAIL_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            String[] lines = new String(buf, StandardCharsets.UTF_8).split("\n");
            return String.join(" | ", Arrays.asList(lines).subList(Math.max(0, lines.length - 8), lines.length));
        } catch (IOException e) {
            log.debug("could not read {} ({}); the error message goes without it", settings.logFile(), e.toString());
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
