package io.multiaz.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The deployment's pgBackRest configuration file, written by {@link #write}: one repository
 * ({@code repo1}), local or S3, encrypted with aes-256-cbc under a passphrase generated once and
 * kept beside it. Retention is left to multiaz (pgBackRest's own expires nothing), archive_mode
 * {@code always} is allowed (every member of a cluster pushes WAL; see {@link PgBackRest}), and the
 * logs and locks of the commands multiaz runs stay under the settings' home.
 *
 * <p>The file holds the passphrase (and S3 secret): it is mode 0600, owned by the server's OS user,
 * which is who runs pgBackRest. Nothing here logs or prints its content.
 *
 * <p>Thread safety: immutable once written. The agents of a deployment may call {@link #write} for
 * one home at once: one of them generates the passphrase and all write it (the same file, given
 * the same settings).
 */
public final class RepositoryConfig {
    /** pgBackRest's largest retention: expiring sets is multiaz's decision, never pgBackRest's. */
    static final String RETAIN_ALL = "9999999";
    private static final int PASSPHRASE_BYTES = 48;

    private final RepositorySettings settings;

    private RepositoryConfig(RepositorySettings settings) {
        this.settings = settings;
    }

    /**
     * Creates the home and its directories (mode 0750, owned by {@code runAs}), generates the
     * passphrase file if there is none (0600), and writes the configuration file (0600, owned by
     * {@code runAs}). Running it again rewrites the file with the same passphrase.
     *
     * @param runAs  the server's OS user, who runs pgBackRest; null: ourselves
     * @param random source of the passphrase
     * @throws BackupException when a file cannot be read or written, or when the passphrase file is
     *                         missing beside a local repository that already holds data (a new
     *                         passphrase could not read it)
     */
    public static RepositoryConfig write(RepositorySettings settings, String runAs, SecureRandom random) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(random, "random");
        OwnedFiles files = new OwnedFiles(runAs);
        try {
            for (Path dir : directories(settings)) {
                files.directory(dir);
            }
            String passphrase = passphrase(settings, files, random);
            S3Credentials credentials = settings.s3().map(s3 -> S3Credentials.read(s3.credentialsFile())).orElse(null);
            files.writePrivate(settings.configFile(), render(settings, passphrase, credentials));
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "could not write pgBackRest's configuration"
                    + " under " + settings.home() + ": " + e + "; check that the directory is writable by this agent", e);
        }
        return new RepositoryConfig(settings);
    }

    /** The configuration, for a home whose files {@link #write} wrote before (nothing is read or checked). */
    public static RepositoryConfig existing(RepositorySettings settings) {
        return new RepositoryConfig(Objects.requireNonNull(settings, "settings"));
    }

    public RepositorySettings settings() {
        return settings;
    }

    /** The file to name with {@code --config}. */
    public Path file() {
        return settings.configFile();
    }

    private static List<Path> directories(RepositorySettings settings) {
        Stream<Path> common = Stream.of(settings.home(), settings.logDir(), settings.lockDir(), settings.spoolDir());
        return settings.s3().isPresent() ? common.toList()
                : Stream.concat(common, Stream.of(settings.localRepository())).toList();
    }

    private static String passphrase(RepositorySettings settings, OwnedFiles files, SecureRandom random)
            throws IOException {
        Path file = settings.passphraseFile();
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new BackupException(BackupException.Reason.CONFIGURATION, file + " is empty; put back the"
                        + " repository's passphrase from your copy of the state directory");
            }
            return text;
        }
        if (settings.s3().isEmpty() && holdsData(settings.localRepository())) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "the passphrase file " + file
                    + " is missing but the encrypted repository " + settings.localRepository() + " holds data; put"
                    + " back the passphrase file from your copy of the state directory (a new passphrase cannot"
                    + " read the repository), or move the repository away to start a new one");
        }
        byte[] bytes = new byte[PASSPHRASE_BYTES];
        random.nextBytes(bytes);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (files.createPrivate(file, generated + "\n")) {
            return generated;
        }
        // another agent of the deployment created it first: its passphrase is the repository's
        return passphrase(settings, files, random);
    }

    private static boolean holdsData(Path repo) throws IOException {
        if (!Files.isDirectory(repo)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(repo)) {
            return entries.findAny().isPresent();
        }
    }

    /** The file's text; {@code credentials} is null for a local repository. */
    static String render(RepositorySettings settings, String passphrase, S3Credentials credentials) {
        Map<String, String> o = new LinkedHashMap<>();
        settings.s3().ifPresentOrElse(s3 -> s3Options(o, s3, credentials), () -> {
            o.put("repo1-type", "posix");
            o.put("repo1-path", settings.localRepository().toString());
        });
        o.put("repo1-cipher-type", "aes-256-cbc");
        o.put("repo1-cipher-pass", passphrase);
        o.put("repo1-retention-full-type", "count");
        o.put("repo1-retention-full", RETAIN_ALL);
        o.put("compress-type", settings.compression().word());
        o.put("process-max", Integer.toString(settings.processMax()));
        o.put("start-fast", "y");
        // every member of a cluster archives (archive_mode = always); pgBackRest refuses that unless told
        o.put("archive-mode-check", "n");
        o.put("log-level-console", "warn");
        o.put("log-level-file", "info");
        o.put("log-path", settings.logDir().toString());
        o.put("lock-path", settings.lockDir().toString());
        o.put("spool-path", settings.spoolDir().toString());
        StringBuilder sb = new StringBuilder("# pgBackRest configuration written by multiaz; edits are overwritten.\n"
                + "# Holds the repository's passphrase: keep it mode 0600.\n[global]\n");
        o.forEach((name, value) -> sb.append(name).append('=').append(value).append('\n'));
        return sb.toString();
    }

    private static void s3Options(Map<String, String> o, S3Repository s3, S3Credentials credentials) {
        o.put("repo1-type", "s3");
        o.put("repo1-path", s3.prefix());
        o.put("repo1-s3-bucket", s3.bucket());
        o.put("repo1-s3-endpoint", s3.endpoint());
        o.put("repo1-storage-port", Integer.toString(s3.port()));
        o.put("repo1-s3-region", s3.region());
        o.put("repo1-s3-uri-style", s3.pathStyle() ? "path" : "host");
        o.put("repo1-storage-verify-tls", s3.verifyTls() ? "y" : "n");
        s3.caFile().ifPresent(ca -> o.put("repo1-storage-ca-file", ca.toString()));
        o.put("repo1-s3-key", credentials.keyId());
        o.put("repo1-s3-key-secret", credentials.secret());
    }
}
