package io.multiaz.agent.ha;

import io.multiaz.ha.Action;
import io.multiaz.ha.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one supervisor's cycles on a thread of its own: every tick, at once after a cycle that took
 * an action (its outcome is the next cycle's input), and at once when {@link #wake()} is called
 * (a store change or a session event).
 *
 * <p>Lifecycle: {@link #start()} once; {@link #close()} stops the thread after the running cycle
 * ends, and may be called twice.
 */
public final class HaLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HaLoop.class);

    private final InstanceSupervisor supervisor;
    private final Duration tick;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public HaLoop(InstanceSupervisor supervisor, Duration tick) {
        this.supervisor = supervisor;
        this.tick = tick;
        this.thread = new Thread(this::run, "ha-" + supervisor.instance());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Asks for a cycle now; cheap, never blocks, callable from any thread. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void run() {
        while (running.get()) {
            boolean acted = false;
            try {
                Decision d = supervisor.cycle();
                acted = !(d.action() instanceof Action.NoAction) && !supervisor.lastActionFailed();
            } catch (RuntimeException e) {
                // a cycle never throws by contract; keep the loop alive if one does
                LOG.error("{}: HA cycle failed unexpectedly; trying again next tick", supervisor.instance(), e);
            }
            try {
                if (!acted) {
                    wakeups.tryAcquire(tick.toMillis(), TimeUnit.MILLISECONDS);
                }
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            wake();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("{}: an HA cycle is still running after 60 s; stopping anyway", supervisor.instance());
            }
        }
    }
}
