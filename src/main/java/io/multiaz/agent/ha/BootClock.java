package io.multiaz.agent.ha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Time since the machine booted, as {@code /proc/uptime} counts it: monotonic, so a step of the
 * wall clock (NTP, {@code date -s}) neither fires nor postpones a deadline kept on it, and readable
 * by {@code watchdog.sh}, which compares the writer's deadline against the same count. Injected
 * where deadlines are computed, as Caffeine injects its {@code Ticker}.
 */
@FunctionalInterface
public interface BootClock {
    /** Time since boot; never decreases. */
    Duration sinceBoot();

    /** The kernel's count, read from {@code /proc/uptime} (centisecond resolution) at every call. */
    static BootClock system() {
        return () -> parseUptime(read(Path.of("/proc/uptime")));
    }

    /** The first field of {@code /proc/uptime}'s text, seconds with two decimals, as a duration. */
    static Duration parseUptime(String text) {
        String seconds = text.strip().split("\\s+")[0];
        try {
            return Duration.ofMillis(new BigDecimal(seconds).movePointRight(3).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalStateException("/proc/uptime reads '" + text.strip() + "', not seconds since boot;"
                    + " the writer's watchdog needs Linux's /proc", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (" + e.getMessage() + "); the writer's watchdog"
                    + " needs Linux's /proc", e);
        }
    }
}
