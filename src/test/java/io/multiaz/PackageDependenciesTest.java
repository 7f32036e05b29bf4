package io.multiaz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rule of docs/ARCHITECTURE.md, checked on the sources: every main package imports
 * only the multiaz packages listed for it here (a plain scan of {@code import io.multiaz.…} lines
 * and fully qualified {@code io.multiaz.…} names). Dependencies point inward: values at the bottom,
 * then the decision, the store, the engine and the data path, then the API and the capabilities,
 * then the agent that wires them, and the CLI on top.
 */
final class PackageDependenciesTest {
    private static final Path MAIN = Path.of("src/main/java/io/multiaz");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.multiaz\\.((?:[a-z]\\w*\\.)*)[A-Z]");

    /** Package → the multiaz packages it may import (besides itself). Keep in step with docs/ARCHITECTURE.md. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("process", Set.of()),
            Map.entry("json", Set.of("model")),
            Map.entry("config", Set.of("model")),
            Map.entry("ha", Set.of("model")),
            Map.entry("runner", Set.of("model")),
            Map.entry("store", Set.of("model", "json")),
            Map.entry("engine", Set.of("model", "json", "process")),
            Map.entry("endpoint", Set.of("model", "json", "process")),
            Map.entry("api", Set.of("model", "json", "config", "store", "engine")),
            Map.entry("backup", Set.of("model", "json", "config", "process", "runner", "store", "engine")),
            Map.entry("monitor", Set.of("model", "json", "config", "process", "runner", "store", "engine")),
            Map.entry("agent.reconcile", Set.of("model", "runner", "store")),
            Map.entry("agent.endpoints", Set.of("model", "json", "config", "process", "runner", "store", "endpoint")),
            Map.entry("agent.ha", Set.of("model", "json", "config", "process", "runner", "ha", "store", "engine",
                    "api")),
            Map.entry("agent.http", Set.of("model", "json", "config", "store", "agent.ha")),
            Map.entry("agent.rds", Set.of("model", "json", "config", "process", "store", "engine", "endpoint", "api",
                    "agent.ha")),
            Map.entry("agent", Set.of("model", "json", "config", "process", "runner", "ha", "store", "engine",
                    "endpoint", "api", "backup", "monitor", "agent.reconcile", "agent.endpoints", "agent.ha",
                    "agent.http", "agent.rds")),
            Map.entry("cli", Set.of("model", "json", "config", "process", "engine", "endpoint", "api", "agent")),
            // io.multiaz.Main, the entry point
            Map.entry("", Set.of("cli")));

    @Test
    void everyPackage_importsOnlyThePackagesBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = packageOf(file);
            Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                violations.add(pkg + " (" + file + ") is a package the rule does not know: add it to ALLOWED"
                        + " and to docs/ARCHITECTURE.md");
                continue;
            }
            for (String used : referencedPackages(file)) {
                if (!used.equals(pkg) && !allowed.contains(used)) {
                    violations.add(file + ": " + pkg + " imports " + used);
                }
            }
        }
        assertThat(violations)
                .as("imports against the dependency rule (docs/ARCHITECTURE.md): move the class down, or pass"
                        + " what it needs in from above")
                .isEmpty();
    }

    @Test
    void theRule_hasNoCycle() {
        for (String from : ALLOWED.keySet()) {
            assertThat(reachable(from)).as("packages reachable from " + from).doesNotContain(from);
        }
    }

    private static Set<String> reachable(String from) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(ALLOWED.get(from));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(ALLOWED.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String packageOf(Path file) {
        return MAIN.relativize(file.getParent()).toString().replace('/', '.');
    }

    /** The multiaz packages a file names in code (imports and qualified names), comments left out. */
    private static Set<String> referencedPackages(Path file) throws IOException {
        String code = Files.readString(file)
                .replaceAll("(?s)/\\*.*?\\*/", "")
                .replaceAll("//[^\n]*", "");
        Set<String> used = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            String pkg = m.group(1);
            if (!pkg.isEmpty()) {
                used.add(pkg.substring(0, pkg.length() - 1));
            }
        }
        return used;
    }
}
