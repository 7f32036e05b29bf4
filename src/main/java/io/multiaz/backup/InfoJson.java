package io.multiaz.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;
import io.multiaz.model.Lsn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Reads {@code pgbackrest info --output=json} (an array with one object per stanza) into a
 * {@link RepositoryInfo}. Written against pgBackRest 2.45's output; keys a later version adds are
 * ignored, and its backup lock's {@code size-cplt}/{@code size} (2.48+) give the progress when present.
 *
 * <p>Thread safety: stateless.
 */
final class InfoJson {
    private static final Pattern RAW_CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]");

    private InfoJson() {
    }

    /**
     * The stanza {@code stanza} of {@code json}.
     *
     * @param lockProgress the running backup's progress read from its lock file, used when the JSON
     *                     has none (2.45 prints it only in its text output)
     * @throws BackupException ({@link BackupException.Reason#UNREADABLE_OUTPUT}) naming what is missing
     */
    static RepositoryInfo parse(String stanza, String json, OptionalDouble lockProgress) {
        JsonNode root;
        try {
            // 2.45 escapes only some control characters in strings: an info file decrypted with the wrong
            // passphrase comes back as raw bytes inside the repository's error message, which is not JSON
            root = Json.mapper().readTree(RAW_CONTROL.matcher(json).replaceAll("?"));
        } catch (JsonProcessingException e) {
            throw unreadable("it is not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isArray()) {
            throw unreadable("it is not a JSON array of stanzas", null);
        }
        for (JsonNode s : root) {
            if (stanza.equals(s.path("name").asText(null))) {
                return stanza(stanza, s, lockProgress);
            }
        }
        throw unreadable("it holds no stanza named " + stanza, null);
    }

    private static RepositoryInfo stanza(String stanza, JsonNode s, OptionalDouble lockProgress) {
        JsonNode status = required(s, "status");
        StanzaStatus st = StanzaStatus.of(required(status, "code").asInt(), message(s, status));
        JsonNode lock = status.path("lock").path("backup");
        Optional<RunningBackup> running = lock.path("held").asBoolean(false)
                ? Optional.of(new RunningBackup(progress(lock).isPresent() ? progress(lock) : lockProgress))
                : Optional.empty();
        List<BackupSet> backups = new ArrayList<>();
        for (JsonNode b : s.path("backup")) {
            backups.add(backup(b));
        }
        List<ArchiveRange> archives = new ArrayList<>();
        for (JsonNode a : s.path("archive")) {
            archives.add(new ArchiveRange(text(a, "id"), required(required(a, "database"), "id").asInt(),
                    segment(a.path("min")), segment(a.path("max"))));
        }
        List<StanzaDatabase> databases = new ArrayList<>();
        for (JsonNode d : s.path("db")) {
            databases.add(new StanzaDatabase(required(d, "id").asInt(), required(d, "system-id").asLong(),
                    text(d, "version")));
        }
        return new RepositoryInfo(stanza, st, running, backups, archives, databases);
    }

    /** The stanza's message; for an error ("other"), the repository's own message, which says what failed. */
    private static String message(JsonNode stanza, JsonNode status) {
        String message = status.path("message").asText("");
        if (status.path("code").asInt() == 0) {
            return message;
        }
        List<String> repoMessages = new ArrayList<>();
        for (JsonNode repo : stanza.path("repo")) {
            String m = repo.path("status").path("message").asText("");
            if (repo.path("status").path("code").asInt() != 0 && !m.isEmpty() && !m.equals(message)) {
                repoMessages.add(m);
            }
        }
        return PgBackRestErrors.printable(repoMessages.isEmpty() ? message : String.join("; ", repoMessages));
    }

    private static OptionalDouble progress(JsonNode lock) {
        if (lock.has("size-cplt") && lock.path("size").asLong() > 0) {
            return OptionalDouble.of(Math.min(100.0, 100.0 * lock.path("size-cplt").asLong() / lock.path("size").asLong()));
        }
        return OptionalDouble.empty();
    }

    private static BackupSet backup(JsonNode b) {
        String label = text(b, "label");
        JsonNode info = required(b, "info");
        JsonNode repo = required(info, "repository");
        JsonNode timestamp = required(b, "timestamp");
        JsonNode lsn = required(b, "lsn");
        JsonNode archive = required(b, "archive");
        List<String> references = new ArrayList<>();
        b.path("reference").forEach(r -> references.add(r.asText()));
        Map<String, String> annotations = new LinkedHashMap<>();
        b.path("annotation").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        try {
            return new BackupSet(label, BackupType.of(text(b, "type")),
                    Optional.ofNullable(b.path("prior").isTextual() ? b.path("prior").asText() : null), references,
                    Instant.ofEpochSecond(required(timestamp, "start").asLong()),
                    Instant.ofEpochSecond(required(timestamp, "stop").asLong()), annotations,
                    new BackupSet.BackupSizes(required(info, "size").asLong(), required(info, "delta").asLong(),
                            required(repo, "size").asLong(), required(repo, "delta").asLong()),
                    Lsn.parse(text(lsn, "start")), Lsn.parse(text(lsn, "stop")),
                    new WalSegment(text(archive, "start")), new WalSegment(text(archive, "stop")),
                    required(required(b, "database"), "id").asInt(), b.path("error").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw unreadable("backup set " + label + " does not read: " + e.getMessage(), e);
        }
    }

    private static Optional<WalSegment> segment(JsonNode node) {
        return node.isTextual() ? Optional.of(new WalSegment(node.asText())) : Optional.empty();
    }

    private static JsonNode required(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            throw unreadable("'" + field + "' is missing", null);
        }
        return n;
    }

    private static String text(JsonNode parent, String field) {
        return required(parent, field).asText();
    }

    private static BackupException unreadable(String what, Throwable cause) {
        return new BackupException(BackupException.Reason.UNREADABLE_OUTPUT, "could not read pgbackrest info"
                + " --output=json: " + what + "; check that the installed pgBackRest is 2.45 or later", cause);
    }
}
