package io.multiaz.backup;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Words of a command line PostgreSQL runs through {@code sh -c} (archive_command): left bare when they hold only characters the shell takes literally,
 * single-quoted otherwise.
 */
final class ShellWords {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,+-]+");

    private ShellWords() {
    }

    static String quote(Path path) {
        return quote(path.toString());
    }

    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
