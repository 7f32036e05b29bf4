package io.multiaz.agent.ha;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12, security: the writer's watchdog deadline is kept on the monotonic boot clock, by the
 * agent and by watchdog.sh alike, so a step of the wall clock can neither fire nor postpone it.
 */
final class WatchdogTest {
    private static final Duration WINDOW = Duration.ofMillis(1200);

    @TempDir
    Path dir;
    private Process postmaster;

    @AfterEach
    void stopPostmaster() {
        if (postmaster != null) {
            postmaster.destroyForcibly();
        }
    }

    @Test
    void deadline_leaseConfirmed_windowAfterTheReadingTakenBeforeTheStoreWasAsked() {
        AtomicReference<Duration> now = new AtomicReference<>(Duration.ofSeconds(100));
        BootClock ticker = now::get;

        var deadline = Watchdog.deadline(ticker, WINDOW, () -> {
            now.set(Duration.ofSeconds(105)); // the store took its time to answer
            return true;
        });

        assertThat(deadline).hasValue(Duration.ofMillis(101_200));
    }

    @Test
    void deadline_leaseNotConfirmed_empty() {
        assertThat(Watchdog.deadline(() -> Duration.ofSeconds(100), WINDOW, () -> false)).isEmpty();
    }

    @Test
    void parseUptime_secondsWithCentiseconds_asMilliseconds() {
        assertThat(BootClock.parseUptime("350735.47 1402830.21\n")).isEqualTo(Duration.ofMillis(350_735_470));
        assertThatThrownBy(() -> BootClock.parseUptime("soon")).hasMessageContaining("/proc/uptime");
    }

    @Test
    void system_neverGoesBack() {
        BootClock clock = BootClock.system();
        Duration first = clock.sinceBoot();
        assertThat(first).isPositive();
        assertThat(clock.sinceBoot()).isGreaterThanOrEqualTo(first);
    }

    @Test
    void arm_deadlineAheadOnTheBootClock_theScriptLeavesTheWriterRunning() throws Exception {
        Path data = startPostmaster();
        try (Watchdog watchdog = Watchdog.start(dir.resolve("run"), "demo-1", data, dir.resolve("watchdog.log"))) {
            watchdog.arm(BootClock.system().sinceBoot().plusSeconds(60), postmaster.pid());
            // a script comparing against the wall clock (ms since 1970) would find it long passed
            assertThat(postmaster.waitFor(1500, TimeUnit.MILLISECONDS)).as("postmaster killed").isFalse();
        }
    }

    @Test
    void arm_deadlinePassedOnTheBootClock_theScriptKillsTheWriter() throws Exception {
        Path data = startPostmaster();
        try (Watchdog watchdog = Watchdog.start(dir.resolve("run"), "demo-1", data, dir.resolve("watchdog.log"))) {
            watchdog.arm(BootClock.system().sinceBoot().minusMillis(100), postmaster.pid());
            assertThat(postmaster.waitFor(10, TimeUnit.SECONDS)).as("postmaster killed").isTrue();
        }
    }

    /** A process the script takes for the postmaster of the returned data directory. */
    private Path startPostmaster() throws Exception {
        Path data = dir.resolve("data");
        postmaster = new ProcessBuilder("bash", "-c", "exec -a 'postgres -D " + data + "' sleep 60").start();
        return data;
    }
}
