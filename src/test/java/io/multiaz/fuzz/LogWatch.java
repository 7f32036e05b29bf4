package io.multiaz.fuzz;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A deployment's log files, read from where they were when this was made: each call of
 * {@link #problems} returns the problems written since the last call — a line matching the watch's
 * patterns with the exception and frames that follow it — each prefixed with its file's name.
 * Files that appear later are read from their start.
 * Not thread-safe.
 */
public final class LogWatch {
    private static final Pattern AGENT_ERROR = Pattern.compile("^\\S+ \\S+ ERROR ");
    private static final Pattern NOT_APPLIED = Pattern.compile("^\\S+ \\S+ WARN .*were not applied");
    private static final Pattern EXCEPTION = Pattern.compile("^([\\w$]+\\.)+[\\w$]*(Exception|Error)(: .*)?$");
    private static final Pattern FRAME = Pattern.compile("^\\s+(at [\\w$.<>/]+\\(.*\\)|\\.\\.\\. \\d+ more)$|^Caused by: ");
    private static final Pattern SERVER_REFUSED = Pattern.compile("invalid value for parameter|contains errors");

    private final Path dir;
    private final int depth;
    private final String suffix;
    private final List<Pattern> problems;
    private final boolean frames;
    private final Map<Path, Long> read = new HashMap<>();

    private LogWatch(Path dir, int depth, String suffix, List<Pattern> problems, boolean frames) throws IOException {
        this.dir = dir;
        this.depth = depth;
        this.suffix = suffix;
        this.problems = problems;
        this.frames = frames;
        for (Path log : logs()) {
            read.put(log, Files.size(log));
        }
    }

    /**
     * The agents' logs ({@code <state-dir>/logs/*.log}): {@code ERROR} lines, exceptions (their
     * first line and up to three frames or causes), and parameter changes an agent could not apply
     * ({@code were not applied}, the symptom of issue 21).
     */
    public static LogWatch agents(Path stateDir) throws IOException {
        return new LogWatch(stateDir.resolve("logs"), 1, ".log", List.of(AGENT_ERROR, NOT_APPLIED, EXCEPTION), true);
    }

    /**
     * The PostgreSQL servers' logs ({@code <state-dir>/clusters/<cluster>/<instance>/postgresql.log}):
     * a setting the server refused when it reloaded its configuration.
     */
    public static LogWatch servers(Path stateDir) throws IOException {
        return new LogWatch(stateDir.resolve("clusters"), 3, "postgresql.log", List.of(SERVER_REFUSED), false);
    }

    /** The problems written since the last call, one entry each. */
    public List<String> problems() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path log : logs()) {
            long from = read.getOrDefault(log, 0L);
            long size = Files.size(log);
            if (size < from) {
                from = 0;
            }
            if (size == from) {
                continue;
            }
            byte[] added = new byte[(int) Math.min(size - from, 16 << 20)];
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                file.seek(from);
                file.readFully(added);
            }
            int complete = lastNewline(added) + 1;
            read.put(log, from + complete);
            scan(new String(added, 0, complete, StandardCharsets.UTF_8), log.getFileName().toString(), found);
        }
        return found;
    }

    /**
     * Adds one entry per problem to {@code found}: the matching line, with the exception lines and
     * (up to three) frames that follow it, joined by {@code " | "}.
     */
    private void scan(String text, String file, List<String> found) {
        StringBuilder block = null;
        int framesShown = 0;
        for (String line : text.split("\n")) {
            boolean continues = frames && (EXCEPTION.matcher(line).matches() || FRAME.matcher(line).find());
            if (block != null && continues) {
                if (!FRAME.matcher(line).find() || line.startsWith("Caused by: ") || framesShown++ < 3) {
                    block.append(" | ").append(Text.visible(line.strip(), 300));
                }
                continue;
            }
            if (block != null) {
                found.add(block.toString());
                block = null;
            }
            if (problems.stream().anyMatch(p -> p.matcher(line).find())) {
                block = new StringBuilder(file).append(": ").append(Text.visible(line, 300));
                framesShown = 0;
            }
        }
        if (block != null) {
            found.add(block.toString());
        }
    }

    private List<Path> logs() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f))
                    .sorted().toList();
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
