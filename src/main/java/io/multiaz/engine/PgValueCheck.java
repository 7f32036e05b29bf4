package io.multiaz.engine;

import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the installed PostgreSQL whether it takes a value for a parameter, by its own parser: the
 * server given {@code -c name=value -C name} and a data directory that does not exist checks the
 * value first ("invalid value for parameter …", with PostgreSQL's detail and hint) and otherwise
 * stops at the missing directory. That is every rule of the server (units of the right kind,
 * time zones, date styles, lists), not a copy of them; a value it refuses is what a reload would
 * refuse on every instance, leaving the old value in place. The server refuses to run as root, so
 * the check runs as the server's OS user; when it cannot run at all, values are not checked (logged
 * once). Answers are kept (at most {@value #KEPT} of them); thread-safe.
 */
public final class PgValueCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PgValueCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int KEPT = 1024;
    private static final Path ROOT = Path.of("/");
    private static final String MISSING = "/nonexistent-multiaz-value-check";
    private static final ProcessRunner RUNNER = new ProcessRunner(64 << 10, ProcessRunner.DEFAULT_DRAIN_GRACE);

    private final String postgres;
    private final String runAs;
    private final Map<String, Optional<String>> answers = new ConcurrentHashMap<>();
    private volatile boolean warned;

    /** @param runAs the server's OS user, null to run it as ourselves */
    public PgValueCheck(PgBinaries binaries, String runAs) {
        this.postgres = binaries.dir().resolve("postgres").toString();
        this.runAs = runAs;
    }

    /**
     * PostgreSQL's refusal of {@code value} for {@code parameter} (its message, detail and hint on
     * one line), or empty when it takes the value or cannot be asked.
     */
    public Optional<String> refusal(String parameter, String value) {
        String key = parameter + "\u0000" + value;
        Optional<String> known = answers.get(key);
        if (known != null) {
            return known;
        }
        Optional<String> answer = ask(parameter, value);
        if (answers.size() >= KEPT) {
            answers.clear();
        }
        answers.put(key, answer);
        return answer;
    }

    private Optional<String> ask(String parameter, String value) {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && (runAs == null || runAs.equals("root"))) {
            warnOnce("the server does not run as root and no OS user is configured for it");
            return Optional.empty();
        }
        Command command = Command.of("checking a value of " + parameter, "the value is not checked",
                List.of(postgres, "-D", MISSING, "-c", parameter + "=" + value, "-C", parameter));
        ProcessResult out;
        try {
            out = RUNNER.run((runAs == null ? command : command.asUser(runAs)).withoutInheritedEnv("PG")
                    .withEnv(Map.of("LC_ALL", "C")).inDirectory(ROOT), TIMEOUT);
        } catch (ProcessException e) {
            warnOnce(e.getMessage());
            return Optional.empty();
        }
        return refusalIn(out.output());
    }

    /**
     * The refusal in the server's output: its FATAL "invalid value" (or other complaint about the
     * parameter) with the DETAIL and HINT lines after it; empty when the server got as far as the
     * data directory, that is when it took the value.
     */
    static Optional<String> refusalIn(String output) {
        List<String> parts = new ArrayList<>();
        boolean refused = false;
        for (String line : output.split("\n")) {
            int fatal = line.indexOf("FATAL:");
            if (fatal >= 0 && line.contains("parameter")) {
                refused = true;
                parts.add(line.substring(fatal + "FATAL:".length()).trim());
            } else if (refused && (line.contains("DETAIL:") || line.contains("HINT:"))) {
                String tag = line.contains("DETAIL:") ? "DETAIL:" : "HINT:";
                parts.add(line.substring(line.indexOf(tag) + tag.length()).trim());
            }
        }
        return refused ? Optional.of(String.join(" ", parts)) : Optional.empty();
    }

    private void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warn("PostgreSQL's own check of parameter values is off ({}); a value it refuses is stored and "
                    + "refused by the servers at reload", why);
        }
    }
}
