package io.multiaz.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgBackRest's error report in a command's output, and what the operator should do about each
 * error number. pgBackRest prints {@code ERROR: [082]: message} (after a timestamp and process id
 * at log level info and above), followed by indented {@code HINT:} and detail lines.
 *
 * <p>Thread safety: stateless.
 */
final class PgBackRestErrors {
    private static final int MAX_TEXT = 600;
    private static final Pattern ERROR = Pattern.compile("(?:^|\\s)(?:ERROR|ASSERT): \\[(\\d{1,3})]: (.*)$");

    private PgBackRestErrors() {
    }

    /**
     * pgBackRest's first error in {@code output}: its number and its text with the continuation
     * lines that follow it, joined by {@code " | "}.
     */
    static Optional<Report> find(String output) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = ERROR.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            List<String> text = new ArrayList<>(List.of("[" + m.group(1) + "]: " + m.group(2).strip()));
            for (int j = i + 1; j < lines.size() && continuation(lines.get(j)); j++) {
                text.add(lines.get(j).strip());
            }
            return Optional.of(new Report(Integer.parseInt(m.group(1)), printable(String.join(" | ", text))));
        }
        return Optional.empty();
    }

    /**
     * {@code text} fit for a message: characters that do not print (control characters, bytes that
     * were not UTF-8, such as an info file decrypted with the wrong passphrase) become one '?' per
     * run, line ends become {@code " | "}, and it is cut at {@value #MAX_TEXT} characters.
     */
    static String printable(String raw) {
        String text = raw.strip().replace("\r\n", "\n").replace("\n", " | ");
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_TEXT + 1));
        boolean lastWasJunk = false;
        for (int i = 0; i < text.length() && sb.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            boolean junk = Character.isISOControl(c) || c == '\uFFFD' || Character.isSurrogate(c)
                    || Character.getType(c) == Character.PRIVATE_USE || Character.getType(c) == Character.UNASSIGNED;
            if (junk && !lastWasJunk) {
                sb.append('?');
            } else if (!junk) {
                sb.append(c);
            }
            lastWasJunk = junk;
        }
        return sb.length() >= MAX_TEXT ? sb + "…" : sb.toString();
    }

    private static boolean continuation(String line) {
        return !line.isBlank() && Character.isWhitespace(line.charAt(0));
    }

    /** What to do next about pgBackRest's error {@code code}, as the end of a message. */
    static String advice(int code) {
        return switch (code) {
            case 38 -> "stop the PostgreSQL server of that data directory first";
            case 40 -> "restore into an empty directory, or into this one with --delta";
            case 41, 42, 47, 53, 64, 73, 83, 88 -> "check that the server's OS user can read and write the repository, its"
                    + " log, lock and spool directories, and the data directory";
            case 28, 44, 58 -> "the repository's stanza belongs to another cluster (system identifier or version differ):"
                    + " use a new stanza name, or delete the stanza if its backups are no longer wanted";
            case 45 -> "a different WAL file of the same name is already archived: two servers wrote the same"
                    + " timeline; find out which one was the writer before deleting anything";
            case 50 -> "another backup, expire or stanza command of this stanza is running; wait for it to end";
            case 55 -> "the stanza is missing or incomplete: create it (stanza-create) before archiving or backing up";
            case 56 -> "check that the server is running and that the OS user running pgBackRest may connect through"
                    + " its socket as the given role (pg_hba 'local all all peer map=multiaz' and a pg_ident line);"
                    + " for a backup from a standby, that a given standby is up and in recovery";
            case 57 -> "see the PostgreSQL server log for the failed query";
            case 62 -> "the stanza is stopped (pgbackrest stop): run pgbackrest start for it";
            case 75 -> "pick a backup set that the repository lists (pgbackrest info)";
            case 82 -> "WAL did not reach the repository in time: look for archive_command failures in the server"
                    + " log and pg_stat_archiver, fix them, and try again";
            case 87 -> "set archive_mode and an archive_command running pgbackrest archive-push, then restart";
            case 29 -> "an info file of the repository does not read: the passphrase in the configuration is not"
                    + " the one the repository was created with (put back the passphrase file), or the repository is"
                    + " damaged (run pgbackrest verify)";
            case 95 -> "the passphrase does not open the repository: put back the passphrase file that was used"
                    + " to create it";
            case 25 -> "this is a pgBackRest bug; keep its log file and report it";
            case 49, 101, 105 -> "the repository's storage did not answer or refused the credentials: check the S3"
                    + " endpoint, bucket, region and access key";
            case 104 -> "one of the archive-push or backup worker processes failed; the text above says which file";
            default -> "see pgBackRest's log files for the details, fix the cause and try again";
        };
    }

    /**
     * One error report.
     *
     * @param code its number
     * @param text {@code [082]: message | HINT: …}
     */
    record Report(int code, String text) {
    }
}
