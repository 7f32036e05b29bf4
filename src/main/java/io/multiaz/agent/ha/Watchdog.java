package io.multiaz.agent.ha;

import io.multiaz.process.Command;
import io.multiaz.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The writer's dead-man switch for one instance: a separate process ({@code watchdog.sh}) that
 * kills the instance's postmaster once the deadline the agent keeps renewing has passed. The agent
 * arms it with "now + a fraction of the session timeout" while it holds the lease, so a paused or
 * hung agent's server stops taking writes before the session expires and a standby may promote
 * (DESIGN invariant 2), as Patroni's watchdog does with the kernel's. Deadlines are kept on the
 * {@link BootClock}, which the script reads too: a step of the wall clock neither kills a healthy
 * writer nor keeps a stale one alive.
 *
 * <p>{@link #arm} and {@link #disarm} may be called from any thread; {@link #close()} disarms and
 * ends the process, and may be called twice.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private final Path deadlineFile;
    private final Process process;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long armedUntil;

    private Watchdog(Path deadlineFile, Process process) {
        this.deadlineFile = deadlineFile;
        this.process = process;
    }

    /** Starts the watchdog process for the server of {@code dataDir}, disarmed. */
    public static Watchdog start(Path runDir, String instance, Path dataDir, Path log) {
        try {
            Files.createDirectories(runDir);
            // one script per instance, written aside and renamed into place: agents starting together
            // must not replace a script another one is setting up (seen as NoSuchFileException)
            Path script = runDir.resolve("watchdog-" + instance + ".sh");
            Path tmp = Files.createTempFile(runDir, "watchdog-" + instance, ".tmp");
            try (InputStream in = Watchdog.class.getResourceAsStream("/watchdog.sh")) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path file = runDir.resolve("watchdog-" + instance);
            write(file, "0 0");
            Process p = new ProcessRunner().spawn(Command.of("the watchdog of " + instance, "check that bash is "
                    + "installed and restart the agent", List.of("bash", script.toString(), file.toString(),
                    Long.toString(ProcessHandle.current().pid()), dataDir.toString())), log);
            LOG.info("watchdog for {} started (pid {})", instance, p.pid());
            return new Watchdog(file, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog of " + instance + ": " + e.getMessage(), e);
        }
    }

    /**
     * The deadline to renew a writer's watchdog with: {@code window} after a reading of {@code clock}
     * taken before {@code leaseConfirmed} asks the store, so the time the question takes counts
     * against the writer. Empty when the lease is not confirmed: the deadline armed before lapses.
     */
    public static Optional<Duration> deadline(BootClock clock, Duration window, BooleanSupplier leaseConfirmed) {
        Duration before = clock.sinceBoot();
        return leaseConfirmed.getAsBoolean() ? Optional.of(before.plus(window)) : Optional.empty();
    }

    /**
     * The server {@code postmasterPid} may take writes until {@code deadline}, a time since boot on
     * the {@link BootClock}; after that it is killed.
     */
    public synchronized void arm(Duration deadline, long postmasterPid) {
        if (closed.get() || postmasterPid <= 0) {
            return;
        }
        armedUntil = Math.max(1, deadline.toMillis());
        write(deadlineFile, armedUntil + " " + postmasterPid);
    }

    /** No server of this instance needs watching (it is not the writer). */
    public synchronized void disarm() {
        if (armedUntil != 0) {
            armedUntil = 0;
            write(deadlineFile, "0 0");
        }
    }

    private static void write(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".w");
            Files.writeString(tmp, content + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the watchdog deadline " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                armedUntil = 0;
                write(deadlineFile, "0 0");
            }
            process.destroy();
        }
    }
}
