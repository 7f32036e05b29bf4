package io.multiaz.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a program that ran to its end ended.
 *
 * @param command  what ran
 * @param exitCode its exit status
 * @param output   the end of its standard output and error, interleaved as written, at most the
 *                 runner's output limit of characters (earlier output is dropped, not kept)
 * @param elapsed  from its start to its exit
 */
public record ProcessResult(Command command, int exitCode, String output, Duration elapsed) {
    /** Lines of output quoted in messages. */
    static final int QUOTED_LINES = 15;
    private static final int QUOTED_CHARS = 2000;

    public ProcessResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Whether it exited with status 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Its last {@code n} non-blank output lines, stripped, oldest first. */
    public List<String> lastLines(int n) {
        return lastLines(output, n);
    }

    /** Its last output lines joined for a one-line message, or {@code (no output)}. */
    public String tailText() {
        return tailText(output);
    }

    /**
     * This result when the program exited with 0.
     *
     * @throws ProcessException ({@link ProcessException.Failure#EXIT_STATUS}) naming the command, its
     *                          exit status, its last output lines and the command's next step
     */
    public ProcessResult requireSuccess() {
        if (!succeeded()) {
            throw new ProcessException(ProcessException.Failure.EXIT_STATUS, command.what() + " failed ("
                    + command.programName() + " exited with " + exitCode + "): " + tailText() + "; "
                    + command.nextStep());
        }
        return this;
    }

    static List<String> lastLines(String text, int n) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    static String tailText(String text) {
        List<String> lines = lastLines(text, QUOTED_LINES);
        if (lines.isEmpty()) {
            return "(no output)";
        }
        String joined = String.join(" | ", lines);
        return joined.length() <= QUOTED_CHARS ? joined : "…" + joined.substring(joined.length() - QUOTED_CHARS);
    }
}
