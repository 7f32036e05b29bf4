package io.multiaz.engine;

import io.multiaz.model.EngineParameter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of PostgreSQL 15 as {@link PgDescribeConfig#run} describes them, parsed by its own
 * code from what the real server printed, recorded in {@code src/test/resources/postgres-15/}
 * (its README says how): unit tests need no PostgreSQL installed.
 */
public final class RecordedDescribeConfig {
    private static final String DIR = "/postgres-15/";
    private static final String BLOCK = "=== ";

    private RecordedDescribeConfig() {
    }

    /** Every parameter of the recorded server, sorted by name, each ENUM with the values the server listed. */
    public static List<EngineParameter> postgres15() {
        Map<String, List<String>> enumValues = enumValues(read("enum-hints.txt"));
        return PgDescribeConfig.parse(read("describe-config.tsv")).stream()
                .map(p -> p.type().equals("ENUM") ? p.withEnumValues(enumValues.getOrDefault(p.name(), List.of())) : p)
                .toList();
    }

    /** The server's output for the recorded parameters: one {@code === name} line, then what it printed. */
    static Map<String, List<String>> enumValues(String hints) {
        Map<String, StringBuilder> blocks = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : hints.split("\n")) {
            if (line.startsWith(BLOCK)) {
                current = blocks.computeIfAbsent(line.substring(BLOCK.length()).strip(), n -> new StringBuilder());
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        blocks.forEach((name, output) -> values.put(name, PgDescribeConfig.availableValues(output.toString())));
        return values;
    }

    private static String read(String file) {
        try (InputStream in = RecordedDescribeConfig.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException(DIR + file + " is missing from the test resources; record it again "
                        + "as src/test/resources/postgres-15/README.md says");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the test resource " + DIR + file + ": " + e.getMessage(), e);
        }
    }
}
