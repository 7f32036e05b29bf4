package io.multiaz.process;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One program to run: its arguments, what it is for (quoted in logs and errors), what the operator
 * should do when it fails, and how its environment differs from ours.
 *
 * <p>The arguments are logged and quoted in error messages; a secret goes in {@link #env} or
 * {@link #input}, whose values are never logged, quoted or printed by {@link #toString()}.
 *
 * @param what           what the call does, for logs and messages ("initdb of db-1")
 * @param nextStep       what the operator should do when it fails, the end of every error message
 * @param argv           program and arguments; the program is looked up on our {@code PATH}
 * @param env            variables to set in the child's environment, over the inherited ones
 * @param droppedEnv     prefixes of inherited variables the child must not see ({@code PG}:
 *                       a stray {@code PGHOST} would silently redirect a PostgreSQL program)
 * @param input          text written to the child's standard input, which is then closed; empty:
 *                       standard input is {@code /dev/null}
 * @param directory      the child's working directory; empty: ours
 * @param user           OS user to run the program as ({@code runuser -u <user> --}); empty, or
 *                       our own user: as ourselves
 */
public record Command(String what, String nextStep, List<String> argv, Map<String, String> env,
                      List<String> droppedEnv, String input, Optional<Path> directory, Optional<String> user) {
    public Command {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(nextStep, "nextStep");
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        droppedEnv = List.copyOf(droppedEnv);
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(user, "user");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a program to run is required for " + what);
        }
        if (droppedEnv.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("an empty prefix would drop the whole environment of " + what
                    + "; name the prefixes to drop");
        }
    }

    /** {@code argv} as ourselves, with our environment, working directory and {@code /dev/null} as input. */
    public static Command of(String what, String nextStep, List<String> argv) {
        return new Command(what, nextStep, argv, Map.of(), List.of(), "", Optional.empty(), Optional.empty());
    }

    /** This command with {@code extra} added to its environment (a later value for a name wins). */
    public Command withEnv(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(extra);
        return new Command(what, nextStep, argv, merged, droppedEnv, input, directory, user);
    }

    /** This command without the inherited variables whose names start with {@code prefix}. */
    public Command withoutInheritedEnv(String prefix) {
        List<String> dropped = new java.util.ArrayList<>(droppedEnv);
        dropped.add(prefix);
        return new Command(what, nextStep, argv, env, dropped, input, directory, user);
    }

    /** This command with {@code text} as its standard input. */
    public Command withInput(String text) {
        return new Command(what, nextStep, argv, env, droppedEnv, text, directory, user);
    }

    /** This command run in {@code dir}. */
    public Command inDirectory(Path dir) {
        return new Command(what, nextStep, argv, env, droppedEnv, input, Optional.of(dir), user);
    }

    /** This command run as OS user {@code name} (through {@code runuser}, which needs root). */
    public Command asUser(String name) {
        return new Command(what, nextStep, argv, env, droppedEnv, input, directory, Optional.of(name));
    }

    /** The program's file name, e.g. {@code pg_ctl}, for short messages. */
    public String programName() {
        return Path.of(argv.getFirst()).getFileName().toString();
    }

    /** What is run: {@code argv}, behind {@code runuser -u <user> --} when it runs as another user. */
    public List<String> commandLine() {
        Optional<String> other = user.filter(u -> !u.equals(System.getProperty("user.name")));
        if (other.isEmpty()) {
            return argv;
        }
        List<String> line = new java.util.ArrayList<>(List.of("runuser", "-u", other.get(), "--"));
        line.addAll(argv);
        return List.copyOf(line);
    }

    /** The command without its secrets: the names of the variables it sets, not their values, and no input. */
    @Override
    public String toString() {
        return what + ": " + String.join(" ", commandLine())
                + (env.isEmpty() ? "" : " (sets " + String.join(", ", env.keySet().stream().sorted().toList()) + ")")
                + (input.isEmpty() ? "" : " (with " + input.length() + " characters of input)");
    }
}
