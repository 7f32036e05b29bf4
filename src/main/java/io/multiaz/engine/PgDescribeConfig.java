package io.multiaz.engine;

import io.multiaz.model.EngineParameter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every server parameter of the installed PostgreSQL, read from {@code postgres --describe-config}
 * (one tab-separated line each: name, context, category, type, default, min, max, short and extra
 * description). The program runs as any user, root included. Stateless.
 */
public final class PgDescribeConfig {
    private PgDescribeConfig() {
    }

    /**
     * Runs {@code postgres --describe-config} of {@code binaries} and parses its answer, sorted by name.
     *
     * @throws EngineException when the program does not run, fails or prints nothing parseable
     */
    public static List<EngineParameter> run(PgBinaries binaries) {
        String postgres = binaries.dir().resolve("postgres").toString();
        try {
            Process p = new ProcessBuilder(postgres, "--describe-config").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EngineException(postgres + " --describe-config did not finish within 10 s");
            }
            List<EngineParameter> parameters = parse(out);
            if (p.exitValue() != 0 || parameters.isEmpty()) {
                throw new EngineException(postgres + " --describe-config exited with " + p.exitValue() + " and "
                        + parameters.size() + " parameters; check the binaries in " + binaries.dir());
            }
            return parameters;
        } catch (IOException e) {
            throw new EngineException("cannot run " + postgres + " --describe-config: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while running " + postgres + " --describe-config", e);
        }
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
            parameters.add(new EngineParameter(f[0], f[1], f[2], f[3], f[4], f[5], f[6], description));
        }
        parameters.sort(Comparator.comparing(EngineParameter::name));
        return List.copyOf(parameters);
    }
}
