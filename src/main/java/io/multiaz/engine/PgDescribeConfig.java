package io.multiaz.engine;

import io.multiaz.model.EngineParameter;
import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every server parameter of the installed PostgreSQL, read from {@code postgres --describe-config}
 * (one tab-separated line each: name, context, category, type, default, min, max, short and extra
 * description). That output has no enum values, so each ENUM's are taken from the hint the server
 * prints when given an invalid one ({@code postgres -c name=… -C name}: "Available values: a, b.");
 * the server refuses to run as root, so that part runs as the server's OS user, and without one
 * while we are root the enums are left without values. Stateless.
 */
public final class PgDescribeConfig {
    private static final Logger LOG = LoggerFactory.getLogger(PgDescribeConfig.class);
    private static final Pattern AVAILABLE = Pattern.compile("Available values: (.*)\\.\\s*$", Pattern.MULTILINE);
    private static final String NOT_A_VALUE = "multiaz-not-a-value";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path ROOT = Path.of("/");
    /** Keeps 4 Mi characters: the description of every parameter is 50 KB for PostgreSQL 15 and grows. */
    private static final ProcessRunner RUNNER = new ProcessRunner(4 << 20, ProcessRunner.DEFAULT_DRAIN_GRACE);

    private PgDescribeConfig() {
    }

    /**
     * Runs {@code postgres --describe-config} of {@code binaries} and parses its answer, sorted by
     * name, with the enum values filled in when the server can be run as {@code runAs} (null: as ourselves).
     *
     * @throws EngineException when the program does not run, fails or prints nothing parseable
     */
    public static List<EngineParameter> run(PgBinaries binaries, String runAs) {
        String postgres = binaries.dir().resolve("postgres").toString();
        String check = "check the binaries in " + binaries.dir();
        ProcessResult out = exec(Command.of(postgres + " --describe-config", check,
                List.of(postgres, "--describe-config")));
        List<EngineParameter> parameters = parse(out.output());
        if (out.exitCode() != 0 || parameters.isEmpty()) {
            throw new EngineException(postgres + " --describe-config exited with " + out.exitCode() + " and "
                    + parameters.size() + " parameters; " + check);
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && (runAs == null || runAs.equals("root"))) {
            LOG.info("the PostgreSQL enum parameters' values stay unknown: the server does not run as root and no"
                    + " OS user is configured for it");
            return parameters;
        }
        return parameters.stream().map(p -> p.type().equals("ENUM") ? p.withEnumValues(enumValues(runAs, postgres, p))
                : p).toList();
    }

    /** The parameters of {@code describeConfig}'s lines, sorted by name; lines of fewer than 8 fields are skipped. */
    static List<EngineParameter> parse(String describeConfig) {
        List<EngineParameter> parameters = new ArrayList<>();
        for (String line : describeConfig.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 8) {
                continue;
            }
            String extra = f.length > 8 ? f[8].trim() : "";
            String description = extra.isEmpty() ? f[7] : f[7] + " " + extra;
            parameters.add(new EngineParameter(f[0], f[1], f[2], f[3], f[4], f[5], f[6], description, List.of()));
        }
        parameters.sort(Comparator.comparing(EngineParameter::name));
        return List.copyOf(parameters);
    }

    /** The values of the "Available values: a, b, c." hint in {@code stderr}; empty without one. */
    static List<String> availableValues(String stderr) {
        Matcher m = AVAILABLE.matcher(stderr);
        return m.find() ? Arrays.stream(m.group(1).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList()
                : List.of();
    }

    private static List<String> enumValues(String runAs, String postgres, EngineParameter p) {
        Command command = Command.of("learning the values of " + p.name(), "its values are not checked",
                List.of(postgres, "-D", "/nonexistent", "-c", p.name() + "=" + NOT_A_VALUE, "-C", p.name()));
        try {
            List<String> values = availableValues(exec(runAs == null ? command : command.asUser(runAs)).output());
            if (values.isEmpty()) {
                LOG.debug("no enum values printed for {}; its values are not checked", p.name());
            }
            return values;
        } catch (EngineException e) {
            LOG.warn("cannot learn the values of {} ({}); its values are not checked", p.name(), e.getMessage());
            return List.of();
        }
    }

    /** Runs {@code command} in English ({@code LC_ALL=C}: the hint is parsed) to its end, whatever its exit status. */
    private static ProcessResult exec(Command command) {
        try {
            return RUNNER.run(command.withoutInheritedEnv("PG").withEnv(Map.of("LC_ALL", "C")).inDirectory(ROOT),
                    TIMEOUT);
        } catch (ProcessException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }
}
