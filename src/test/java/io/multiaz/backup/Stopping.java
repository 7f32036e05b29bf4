package io.multiaz.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Stops what a test started: its servers (pg_ctl immediate on the test's own data directories,
 * then SIGKILL of the postmaster's pid if it is still there), and the pgBackRest processes those
 * servers' archive_command left running in the background, by pid.
 */
final class Stopping {
    private static final Logger LOG = LoggerFactory.getLogger(Stopping.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private Stopping() {
    }

    static void stop(LocalPg s) {
        Optional<Long> pid;
        try {
            pid = s.postmasterPid();
        } catch (Exception e) {
            LOG.warn("could not read the pid of {} ({}); not stopping it", s, e.toString());
            return;
        }
        if (pid.isEmpty()) {
            return;
        }
        try {
            LocalPg.run("stop of " + s.name, LocalPg.BIN.resolve("pg_ctl").toString(), "-D", s.data().toString(),
                    "-m", "immediate", "-w", "stop");
        } catch (RuntimeException e) {
            LOG.warn("pg_ctl could not stop {} ({}); killing pid {}", s, e.getMessage(), pid.get());
        }
        ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Waits for the background archive-push processes working under {@code root} to end; kills the rest. */
    static void awaitArchiversGone(Path root) throws InterruptedException {
        if (root == null) {
            return;
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ProcessHandle> left = workingUnder(root);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = workingUnder(root);
        }
        for (ProcessHandle p : left) {
            LOG.warn("killing pid {} still working under {}: {}", p.pid(), root, p.info().commandLine().orElse("?"));
            p.destroyForcibly();
        }
    }

    private static List<ProcessHandle> workingUnder(Path root) {
        String dir = root.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(c -> c.contains("pgbackrest") && c.contains(dir)).isPresent())
                .toList();
    }
}
