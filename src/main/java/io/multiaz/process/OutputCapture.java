package io.multiaz.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads one child's output to its end, keeping only its last {@code limit} characters and handing
 * each line to a consumer, so the child never blocks on a full pipe however much it writes.
 *
 * <p>Threading: {@link #drain} runs on one reader thread and calls the consumer there, in output
 * order; {@link #text()} and {@link #detach()} may be called from any thread. After
 * {@link #detach()} the consumer is not called again, but reading goes on (a grandchild that kept
 * the pipe must not block or die writing to it).
 */
final class OutputCapture {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCapture.class);

    private final String what;
    private final int limit;
    private final Consumer<String> onLine;
    private final StringBuilder kept = new StringBuilder(); // guarded by this
    private final StringBuilder line = new StringBuilder(); // the reader thread's own
    private volatile boolean detached;

    OutputCapture(String what, int limit, Consumer<String> onLine) {
        this.what = what;
        this.limit = limit;
        this.onLine = onLine;
    }

    /** Reads {@code in} to its end (or until it fails), then closes it. */
    void drain(InputStream in) {
        char[] buf = new char[8192];
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buf)) >= 0) {
                keep(buf, n);
                split(buf, n);
            }
        } catch (IOException e) {
            LOG.debug("{}: output closed early ({}); the exit status still decides the outcome", what, e.toString());
        }
        if (!line.isEmpty()) {
            emit();
        }
    }

    /** The last {@code limit} characters read so far. */
    synchronized String text() {
        return kept.length() <= limit ? kept.toString() : kept.substring(kept.length() - limit);
    }

    /** Stops handing lines to the consumer; the caller has returned and no longer expects them. */
    void detach() {
        detached = true;
    }

    private synchronized void keep(char[] buf, int n) {
        kept.append(buf, 0, n);
        // trimming to the limit at twice the limit keeps appends amortised O(1)
        if (kept.length() > 2 * limit) {
            kept.delete(0, kept.length() - limit);
        }
    }

    private void split(char[] buf, int n) {
        for (int i = 0; i < n; i++) {
            char c = buf[i];
            if (c == '\n') {
                emit();
            } else {
                line.append(c);
                if (line.length() >= limit) {
                    emit();
                }
            }
        }
    }

    private void emit() {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        String text = line.substring(0, end);
        line.setLength(0);
        if (detached) {
            return;
        }
        try {
            onLine.accept(text);
        } catch (RuntimeException e) {
            // the reader must go on, or the child blocks on a full pipe
            LOG.warn("{}: the output line handler failed ({}); reading on", what, e.toString());
        }
    }
}
