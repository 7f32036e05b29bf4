package io.multiaz.engine;

import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the engine needs to run one instance.
 *
 * @param binDir        directory holding initdb, pg_ctl, postgres, pg_basebackup, pg_rewind
 * @param instanceDir   directory owned by the server's OS user; the data directory, log and socket live inside
 * @param runAs         OS user to run server programs as when the agent is root (e.g. {@code postgres}); null to run as ourselves
 * @param allowedCidrs  client networks admitted by pg_hba.conf (password auth); loopback in local mode
 * @param parameters    extra postgresql.conf settings (name → value, already validated)
 * @param promotionSyncNames the {@code synchronous_standby_names} this instance will need as writer;
 *                      written into a standby's configuration from its start, so a promoted server's
 *                      first commit already waits for a standby ("" for none). A standby ignores it.
 * @param archiving     WAL archiving to the cluster's backup repository; null for none
 */
public record EngineSettings(Path binDir, Path instanceDir, String runAs, InstanceSpec instance,
                             String databaseName, Credentials credentials, List<String> allowedCidrs,
                             Map<String, String> parameters, String promotionSyncNames, Archiving archiving) {
    public EngineSettings(Path binDir, Path instanceDir, String runAs, InstanceSpec instance, String databaseName,
                          Credentials credentials, List<String> allowedCidrs, Map<String, String> parameters,
                          String promotionSyncNames) {
        this(binDir, instanceDir, runAs, instance, databaseName, credentials, allowedCidrs, parameters,
                promotionSyncNames, null);
    }

    public EngineSettings(Path binDir, Path instanceDir, String runAs, InstanceSpec instance, String databaseName,
                          Credentials credentials, List<String> allowedCidrs, Map<String, String> parameters) {
        this(binDir, instanceDir, runAs, instance, databaseName, credentials, allowedCidrs, parameters, "", null);
    }

    public EngineSettings {
        promotionSyncNames = promotionSyncNames == null ? "" : promotionSyncNames;
        Objects.requireNonNull(binDir, "binDir");
        Objects.requireNonNull(instanceDir, "instanceDir");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(credentials, "credentials");
        allowedCidrs = List.copyOf(allowedCidrs);
        parameters = Map.copyOf(parameters == null ? Map.of() : parameters);
    }

    public Path dataDir() {
        return instanceDir.resolve("data");
    }

    public Path logFile() {
        return instanceDir.resolve("postgresql.log");
    }

    public Path socketDir() {
        return instanceDir.resolve("socket");
    }
}
