package io.multiaz.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class AccessKeysTest {
    private static final AccessKey KEY = new AccessKey("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    @Test
    void generate_looksLikeAnAwsKeyPair() {
        AccessKey key = AccessKeys.generate(new SecureRandom());

        assertThat(key.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.secretAccessKey()).matches("[A-Za-z0-9+/]{40}");
    }

    @Test
    void generate_twice_differs() {
        SecureRandom random = new SecureRandom();

        AccessKey first = AccessKeys.generate(random);
        AccessKey second = AccessKeys.generate(random);

        assertThat(first.accessKeyId()).isNotEqualTo(second.accessKeyId());
        assertThat(first.secretAccessKey()).isNotEqualTo(second.secretAccessKey());
    }

    @Test
    void toString_hidesTheSecret() {
        assertThat(KEY.toString()).contains(KEY.accessKeyId()).doesNotContain(KEY.secretAccessKey());
    }

    @Test
    void secretFor_onlyForItsOwnId() {
        assertThat(KEY.secretFor("AKIAIOSFODNN7EXAMPLE")).hasValue(KEY.secretAccessKey());
        assertThat(KEY.secretFor("AKIAIOSFODNN7EXAMPLF")).isEmpty();
    }

    @Test
    void writeAwsCliProfile_writesBothFilesPrivateWithTheProfile(@TempDir Path stateDir) throws IOException {
        Path dir = stateDir.resolve("aws");

        AccessKeys.writeAwsCliProfile(dir, KEY);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String file : List.of("credentials", "config")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
        assertThat(ini(dir.resolve("credentials"))).isEqualTo(Map.of("multiaz", Map.of(
                "aws_access_key_id", KEY.accessKeyId(),
                "aws_secret_access_key", KEY.secretAccessKey())));
        assertThat(ini(dir.resolve("config"))).isEqualTo(Map.of("profile multiaz", Map.of(
                "region", "local-1",
                "output", "json")));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("credentials", "config");
        }
    }

    @Test
    void writeAwsCliProfile_overOldReadableFiles_replacesThemPrivate(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("credentials"), "[old]\naws_access_key_id = AKIAOLD\n");
        Files.setPosixFilePermissions(dir.resolve("credentials"), PosixFilePermissions.fromString("rw-r--r--"));

        AccessKeys.writeAwsCliProfile(dir, KEY);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("credentials"))))
                .isEqualTo("rw-------");
        assertThat(ini(dir.resolve("credentials"))).containsOnlyKeys("multiaz");
    }

    /** Reads sections and {@code key = value} lines the way botocore's config parser does. */
    private static Map<String, Map<String, String>> ini(Path file) throws IOException {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                current = new LinkedHashMap<>();
                sections.put(trimmed.substring(1, trimmed.length() - 1).strip(), current);
            } else {
                int eq = trimmed.indexOf('=');
                assertThat(current).as("key outside a section: %s", line).isNotNull();
                assertThat(eq).as("not key = value: %s", line).isPositive();
                current.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
            }
        }
        return sections;
    }
}
