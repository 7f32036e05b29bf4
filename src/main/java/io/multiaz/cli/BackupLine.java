package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

/**
 * The {@code backups} line of {@code multiaz status}: who owns the cluster's backups, whether
 * archiving works (and since when it fails), the restorable window and how far behind now it ends,
 * the automated backups kept, the backup running and the last failure. Stateless.
 */
final class BackupLine {
    private BackupLine() {
    }

    /** The line for {@code status} (a BackupStatus as JSON, null when none is published) at {@code now}. */
    static String of(JsonNode status, Instant now) {
        if (status == null) {
            return "backups: none yet (the owner publishes once the writer runs; see the agents' logs for"
                    + " \"backups of cluster\")";
        }
        StringBuilder s = new StringBuilder("backups (").append(status.path("owner").asText("?"))
                .append(", stanza ").append(status.path("stanza").asText()).append("): ");
        String failing = text(status, "archivingFailingSince");
        if (failing != null) {
            s.append("ARCHIVING FAILS since ").append(failing).append(" (").append(text(status, "archivingError"))
                    .append("; commits go on; fix the repository, archiving catches up by itself)");
        } else {
            s.append("archiving ok");
        }
        String earliest = text(status, "earliestRestorableTime");
        String latest = text(status, "latestRestorableTime");
        if (earliest == null || latest == null) {
            s.append("; not restorable yet (first backup pending)");
        } else {
            long behind = Math.max(0, Duration.between(Instant.parse(latest), now).toSeconds());
            s.append("; restorable ").append(earliest).append(" to ").append(latest).append(" (")
                    .append(behind).append(" s ago)");
        }
        int kept = status.path("automated").size();
        s.append("; ").append(kept).append(kept == 1 ? " automated backup" : " automated backups");
        JsonNode running = status.path("running");
        if (running.isObject()) {
            s.append("; ").append(running.path("type").asText()).append(" backup running from ")
                    .append(running.path("source").asText()).append(", ").append(running.path("percent").asInt())
                    .append(" %");
        }
        String error = text(status, "lastBackupError");
        if (error != null) {
            s.append("; last failure at ").append(text(status, "lastBackupErrorAt")).append(": ").append(error);
        }
        return s.toString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNull() || v.isMissingNode() ? null : v.asText();
    }
}
