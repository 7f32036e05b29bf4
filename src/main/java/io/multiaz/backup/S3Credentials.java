package io.multiaz.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An S3 access key read from a file in the AWS credentials file's shape (the first
 * {@code aws_access_key_id} and {@code aws_secret_access_key} lines; {@code [profile]} headers and
 * comments are skipped). {@link #toString()} never shows the secret.
 */
record S3Credentials(String keyId, String secret) {
    S3Credentials {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(secret, "secret");
    }

    static S3Credentials read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "could not read the S3 credentials file "
                    + file + ": " + e.getClass().getSimpleName() + "; check that it exists and is readable", e);
        }
        String id = value(lines, "aws_access_key_id");
        String secret = value(lines, "aws_secret_access_key");
        if (id == null || secret == null) {
            throw new BackupException(BackupException.Reason.CONFIGURATION, "the S3 credentials file " + file
                    + " needs both an 'aws_access_key_id = …' and an 'aws_secret_access_key = …' line");
        }
        return new S3Credentials(id, secret);
    }

    private static String value(List<String> lines, String name) {
        for (String raw : lines) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().equals(name)) {
                String v = line.substring(eq + 1).strip();
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "S3Credentials[keyId=" + keyId + ", secret=(hidden)]";
    }
}
