package io.multiaz.backup;

import io.multiaz.engine.Archiving;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.runner.ClusterRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * The backups' {@link ClusterRunner} of an agent: one {@link BackupController} per cluster (one
 * agent of all owns each cluster's backups), the archiving settings every instance's server gets,
 * and the clean-up when a cluster is deleted. A cluster's stanza is named after the cluster and
 * its creation ({@link #stanza}), so a new cluster of an old name never meets the old one's backups.
 *
 * <p>Thread safety: {@link #start} and {@link #remove} on the reconciler's thread; {@link #archiving}
 * from any thread.
 */
public final class ClusterBackups implements ClusterRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBackups.class);

    private final BackupServices services;
    private final BackupTool tool;
    private final BiFunction<String, String, Path> instanceDirs;
    private final String az;
    private final Duration archiveTimeout;

    /**
     * @param instanceDirs   the directory of an instance on this host, by cluster and instance name
     * @param archiveTimeout PostgreSQL's {@code archive_timeout} for every server
     */
    public ClusterBackups(BackupServices services, BiFunction<String, String, Path> instanceDirs, String az,
                          Duration archiveTimeout) {
        this.services = services;
        this.tool = services.tool();
        this.instanceDirs = instanceDirs;
        this.az = az;
        this.archiveTimeout = archiveTimeout;
    }

    /** The pgBackRest stanza of {@code spec}'s cluster ({@link ClusterSpec#backupStanza()}). */
    public static String stanza(ClusterSpec spec) {
        return spec.backupStanza();
    }

    /** What the server of {@code instance} of {@code spec} in {@code instanceDir} writes for archiving. */
    public Archiving archiving(ClusterSpec spec, Path instanceDir) {
        String stanza = stanza(spec);
        Path data = instanceDir.resolve("data");
        return new Archiving(tool.archivePushCommand(stanza, data, instanceDir), archiveTimeout);
    }

    /** How the tool reaches {@code instance} of {@code spec} on this host (data and socket as the engine lays them out). */
    BackupTool.Member member(ClusterSpec spec, InstanceSpec instance) {
        Path dir = instanceDirs.apply(spec.name(), instance.name());
        return new BackupTool.Member(dir.resolve("data"), instance.port(), dir.resolve("socket"),
                spec.credentials().superuser());
    }

    @Override
    public String name() {
        return "backups";
    }

    @Override
    public AutoCloseable start(ClusterSpec spec) {
        BackupController controller = new BackupController(services, instance -> member(spec, instance), spec.name(),
                stanza(spec), az);
        try {
            controller.start();
        } catch (Exception e) {
            controller.close();
            throw new IllegalStateException("cannot start the backups of cluster " + spec.name() + ": " + e, e);
        }
        return controller;
    }

    /**
     * Removes a deleted cluster's backup status and its automated backups (RDS deletes them with the
     * cluster): the whole stanza when no DB cluster snapshot is in it, else the automated sets only
     * (the snapshots outlive the cluster; {@link SnapshotJanitor} deletes the stanza with the last).
     */
    @Override
    public void remove(ClusterSpec lastSpec) {
        services.statuses().delete(lastSpec.name());
        String stanza = stanza(lastSpec);
        boolean snapshotsKept = services.snapshots().list().stream().anyMatch(s -> stanza.equals(s.stanza()));
        if (!snapshotsKept) {
            tool.deleteStanza(stanza);
            LOG.info("removed the backups (stanza {}) of deleted cluster {}", stanza, lastSpec.name());
            return;
        }
        for (BackupTool.StoredSet set : tool.describe(stanza).sets()) {
            if (set.type().equals("full") && BackupController.AUTOMATED.equals(
                    set.annotations().get(BackupController.PURPOSE))) {
                tool.expire(stanza, set.label());
            }
        }
        LOG.info("removed the automated backups of deleted cluster {}; stanza {} stays for its snapshots",
                lastSpec.name(), stanza);
    }
}
