package io.multiaz.backup;

import io.multiaz.model.BackupStatus;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.EventType;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Lease;
import io.multiaz.model.MemberState;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import io.multiaz.store.ClusterStore;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The backups of one cluster, run by exactly one agent: the agents that run the cluster's services
 * elect an owner (a Curator leader latch per cluster), and the owner alone creates the stanza,
 * follows the writer's archiving, takes the automated backups and expires them. Another agent
 * takes over within a ZooKeeper session timeout of the owner's end; a backup the old owner left
 * unfinished is never listed (the tool lists complete sets only) and the schedule, which sees no
 * backup in the window, takes it again.
 *
 * <p>Every second the owner looks at the writer ({@link ArchiveTracker}), and every
 * {@link #DESCRIBE_EVERY} (every 2 s while a backup runs) at the repository; it publishes a
 * {@link BackupStatus} when something changed (the restorable time at most every
 * {@link #PUBLISH_EVERY}) and appends an event when archiving starts or stops failing and when a
 * backup starts, ends or fails. A backup runs on a thread of its own, from a streaming standby
 * (from the writer when none streams), so the looks go on meanwhile.
 *
 * <p>Thread safety: all state is confined to the controller's thread, but for the backup's
 * {@link Future}, which the thread polls.
 */
public final class BackupController implements AutoCloseable {
    /** The annotation that says why a set was taken: {@value #AUTOMATED} or a snapshot identifier. */
    public static final String PURPOSE = "multiaz-purpose";
    public static final String AUTOMATED = "automated";
    static final Duration DESCRIBE_EVERY = Duration.ofSeconds(15);
    static final Duration PUBLISH_EVERY = Duration.ofSeconds(2);
    static final Duration BACKUP_TIMEOUT = Duration.ofHours(12);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration STANZA_RETRY = Duration.ofSeconds(10);
    private static final Duration WAKE_EVERY = Duration.ofSeconds(5);
    private static final Duration STANDBY_WAIT = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(BackupController.class);

    private final BackupServices services;
    private final ClusterStore store;
    private final BackupTool tool;
    private final SnapshotBackups snapshots;
    private final Function<InstanceSpec, BackupTool.Member> members;
    private final String cluster;
    private final String stanza;
    private final String az;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final ExecutorService backups;
    private final ArchiveTracker tracker = new ArchiveTracker();
    private final WriterProbe probe;
    private LeaderLatch latch;
    private boolean owner;
    private boolean stanzaReady;
    private Instant nextStanzaTry = Instant.EPOCH;
    private Instant nextDescribe = Instant.EPOCH;
    private BackupTool.Stanza described;
    private Future<String> backup;
    private BackupStatus.Running running;
    private Instant lastFailure;
    private String lastError;
    private Instant lastErrorAt;
    private Instant failingReported;
    private Instant nextWake = Instant.EPOCH;
    private Instant noStandbySince;
    private BackupStatus published;

    /**
     * @param members how the tool reaches an instance of the cluster on this host
     */
    public BackupController(BackupServices services, Function<InstanceSpec, BackupTool.Member> members,
                            String cluster, String stanza, String az) {
        this.services = services;
        this.store = services.store();
        this.tool = services.tool();
        this.snapshots = new SnapshotBackups(services.snapshots(), stanza);
        this.members = members;
        this.cluster = cluster;
        this.stanza = stanza;
        this.az = az;
        this.clock = services.clock();
        this.probe = new WriterProbe(clock);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "backups-" + cluster));
        this.backups = Executors.newSingleThreadExecutor(r -> daemon(r, "backup-run-" + cluster));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public String cluster() {
        return cluster;
    }

    public void start() throws Exception {
        latch = new LeaderLatch(services.client(), services.paths().backupOwner(cluster), az);
        latch.start();
        thread.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            if (!latch.hasLeadership()) {
                if (owner) {
                    LOG.info("backups of cluster {}: this agent ({}) no longer owns them", cluster, az);
                    owner = false;
                    probe.close();
                }
                return;
            }
            if (!owner) {
                LOG.info("backups of cluster {}: this agent ({}) owns them (stanza {})", cluster, az, stanza);
                owner = true;
                stanzaReady = false;
            }
            step();
        } catch (RuntimeException e) {
            LOG.warn("backups of cluster {}: {}; trying again in a second", cluster, e.getMessage());
        }
    }

    private void step() {
        Instant now = clock.instant();
        ClusterSnapshot snapshot = store.read(cluster);
        ClusterSpec spec = snapshot.spec().orElse(null);
        if (spec == null || spec.rds().deleting()) {
            return;
        }
        Optional<InstanceSpec> writer = snapshot.lease().map(Lease::holder)
                .flatMap(name -> spec.instances().stream().filter(i -> i.name().equals(name)).findFirst());
        finishBackup(now);
        if (writer.isPresent()) {
            look(spec, writer.get(), now);
            if (!stanzaReady && !now.isBefore(nextStanzaTry) && writerRuns(snapshot, writer.get())) {
                createStanza(writer.get(), now);
            }
        }
        if (stanzaReady && !now.isBefore(nextDescribe)) {
            nextDescribe = now.plus(backup != null ? PUBLISH_EVERY : DESCRIBE_EVERY);
            describe(spec, now);
        }
        if (stanzaReady && backup == null && writer.isPresent() && described != null) {
            List<DbClusterSnapshot> pending = snapshots.pending(described,
                    m -> event(EventType.SNAPSHOT_AVAILABLE, m));
            boolean retryDue = lastFailure == null || !now.isBefore(lastFailure.plus(BackupSchedule.RETRY));
            if (!pending.isEmpty() && retryDue) {
                launch(spec, snapshot, writer.get(), BackupType.FULL, pending.getFirst().identifier(), now);
            } else if (pending.isEmpty()) {
                BackupSchedule.due(now, spec.rds().backupRetentionPeriod(), spec.rds().preferredBackupWindow(),
                        automated(), lastFailure, newestFullAutomated())
                        .ifPresent(type -> launch(spec, snapshot, writer.get(), type, AUTOMATED, now));
            }
        }
        progress();
        publish(now);
    }

    private static boolean writerRuns(ClusterSnapshot snapshot, InstanceSpec writer) {
        MemberState m = snapshot.members().get(writer.name());
        return m != null && m.role() == Role.WRITER && m.state() == ServerState.RUNNING;
    }

    private void look(ClusterSpec spec, InstanceSpec writer, Instant now) {
        try {
            tracker.observe(probe.observe(writer.host(), writer.port(), spec.credentials().superuser(),
                    spec.credentials().superuserPassword()));
        } catch (SQLException e) {
            LOG.debug("backups of cluster {}: cannot read the archiver of {}: {}", cluster, writer.name(),
                    e.getMessage());
            return;
        }
        Instant since = stanzaReady ? tracker.failingSince() : null;
        if (since != null && !now.isBefore(nextWake)) {
            // PostgreSQL's archiver sleeps a minute after three failures in a row; a reload wakes it,
            // so archiving catches up within seconds of the repository's return, writes or not
            nextWake = now.plus(WAKE_EVERY);
            probe.wakeArchiver();
        }
        if (since != null && failingReported == null) {
            failingReported = since;
            event(EventType.ARCHIVING_FAILED, "WAL archiving to the backup repository fails since " + since + ": "
                    + tracker.error() + "; commits go on, the restorable time stays until the repository is back");
        } else if (since == null && failingReported != null) {
            event(EventType.ARCHIVING_RESUMED, "WAL archiving works again (it failed from " + failingReported
                    + " to " + now + ")");
            failingReported = null;
        }
    }

    private void createStanza(InstanceSpec writer, Instant now) {
        try {
            tool.createStanza(stanza, members.apply(writer));
            stanzaReady = true;
            nextDescribe = now;
            lastError = null;
            lastErrorAt = null;
            LOG.info("backups of cluster {}: stanza {} ready", cluster, stanza);
        } catch (BackupException e) {
            nextStanzaTry = now.plus(STANZA_RETRY);
            note(now, "cannot create the backup stanza " + stanza + ": " + e.getMessage());
        }
    }

    /** Reads the repository; when it cannot be read, what was read last stands (and the failure is noted). */
    private void describe(ClusterSpec spec, Instant now) {
        BackupTool.Stanza next;
        try {
            next = tool.describe(stanza);
        } catch (BackupException e) {
            note(now, e.getMessage());
            return;
        }
        if (!next.exists()) {
            LOG.warn("backups of cluster {}: stanza {} is missing from the repository; creating it again", cluster,
                    stanza);
            stanzaReady = false;
            return;
        }
        described = next;
        if (backup == null) {
            // never beside a backup: pgBackRest would refuse the lock, and the WAL expiry reads the sets
            // first, so a full set finishing in between would lose the WAL it needs
            expire(spec, now);
        }
    }

    /** Whether the stanza's newest full set is an automated backup (none counts as yes). */
    private boolean newestFullAutomated() {
        return described.sets().stream().filter(b -> b.type().equals("full")).reduce((a, b) -> b)
                .map(b -> AUTOMATED.equals(b.annotations().get(PURPOSE))).orElse(true);
    }

    /**
     * Takes in the progress the repository reports for the backup running, and writes it into the
     * snapshot's record when the backup is a snapshot's and the progress moved.
     */
    private void progress() {
        if (running == null || described == null) {
            return;
        }
        int percent = described.runningPercent().orElse(running.percent());
        if (percent == running.percent()) {
            return;
        }
        running = new BackupStatus.Running(running.purpose(), running.type(), running.startedAt(), running.source(),
                percent);
        if (!running.purpose().equals(AUTOMATED)) {
            snapshots.progress(running.purpose(), percent);
        }
    }

    private void launch(ClusterSpec spec, ClusterSnapshot snapshot, InstanceSpec writer, BackupType type,
                        String purpose, Instant now) {
        List<InstanceSpec> standbys = streamingStandbys(spec, snapshot);
        if (standbys.isEmpty() && spec.instances().size() > 1) {
            // a new cluster's standbys are still cloning, or one is being rebuilt: wait a while for one
            // rather than load the writer; after STANDBY_WAIT the backup is taken from the writer
            noStandbySince = noStandbySince == null ? now : noStandbySince;
            if (now.isBefore(noStandbySince.plus(STANDBY_WAIT))) {
                return;
            }
        }
        noStandbySince = null;
        String source = standbys.isEmpty() ? writer.name() : standbys.getFirst().name();
        String kind = type.name().toLowerCase();
        running = new BackupStatus.Running(purpose, kind, now, source, 0);
        event(EventType.BACKUP_STARTED, what(running) + " started from " + source
                + (standbys.isEmpty() ? " (the writer: no standby streams)" : ""));
        BackupTool.Member w = members.apply(writer);
        List<BackupTool.Member> from = standbys.stream().map(members).toList();
        backup = backups.submit(() -> tool.backup(stanza, w, from, type, Map.of(PURPOSE, purpose), BACKUP_TIMEOUT));
        nextDescribe = now.plus(PUBLISH_EVERY);
    }

    private static List<InstanceSpec> streamingStandbys(ClusterSpec spec, ClusterSnapshot snapshot) {
        return snapshot.members().values().stream()
                .filter(m -> m.role() == Role.READER && m.streaming() && m.state() == ServerState.RUNNING)
                .sorted(Comparator.comparingLong(MemberState::lagBytes))
                .flatMap(m -> spec.instances().stream().filter(i -> i.name().equals(m.name())))
                .toList();
    }

    /** "automated full backup", "full backup for snapshot before-upgrade". */
    private static String what(BackupStatus.Running r) {
        return r.purpose().equals(AUTOMATED) ? "automated " + r.type() + " backup"
                : r.type() + " backup for DB cluster snapshot " + r.purpose();
    }

    /** Takes in the end of the backup running, if it ended. */
    private void finishBackup(Instant now) {
        if (backup == null || !backup.isDone()) {
            return;
        }
        BackupStatus.Running ended = running;
        try {
            String label = backup.get();
            lastFailure = null;
            lastError = null;
            lastErrorAt = null;
            event(EventType.BACKUP_COMPLETED, what(ended) + " " + label + " completed in "
                    + Duration.between(ended.startedAt(), now).toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            lastFailure = now;
            String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            note(now, what(ended) + " failed: " + why);
            event(EventType.BACKUP_FAILED, what(ended) + " from " + ended.source() + " failed: " + why
                    + "; it is taken again in " + BackupSchedule.RETRY.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        backup = null;
        running = null;
        nextDescribe = now;
    }

    private void expire(ClusterSpec spec, Instant now) {
        for (String label : BackupSchedule.expired(now, spec.rds().backupRetentionPeriod(), automated())) {
            try {
                tool.expire(stanza, label);
                LOG.info("backups of cluster {}: expired {} (older than the {}-day retention needs)", cluster, label,
                        spec.rds().backupRetentionPeriod());
                nextDescribe = now;
            } catch (BackupException e) {
                note(now, "cannot expire backup " + label + ": " + e.getMessage());
            }
        }
    }

    private List<BackupStatus.Backup> automated() {
        if (described == null) {
            return List.of();
        }
        return described.sets().stream().filter(s -> AUTOMATED.equals(s.annotations().get(PURPOSE)))
                .map(s -> new BackupStatus.Backup(s.label(), s.type(), s.start(), s.stop(), s.sizeBytes(),
                        s.repoBytes()))
                .toList();
    }

    private void publish(Instant now) {
        List<BackupStatus.Backup> kept = automated();
        Instant earliest = kept.stream().map(BackupStatus.Backup::stopTime).min(Comparator.naturalOrder())
                .orElse(null);
        Instant latest = tracker.latestRestorableTime();
        if (earliest == null) {
            latest = null;
        } else if (latest == null || latest.isBefore(earliest)) {
            latest = earliest;
        }
        BackupStatus next = new BackupStatus(cluster, stanza, az, now, earliest, latest,
                stanzaReady ? tracker.failingSince() : null, stanzaReady ? tracker.error() : null, running, kept,
                lastError, lastErrorAt);
        if (next.sameAs(published) || next.sameButTimes(published)
                && now.isBefore(published.updatedAt().plus(PUBLISH_EVERY))) {
            return;
        }
        if (!services.statuses().create(cluster, next)) {
            services.statuses().update(cluster, old -> next);
        }
        published = next;
    }

    private void note(Instant now, String error) {
        lastError = error;
        lastErrorAt = now;
        LOG.warn("backups of cluster {}: {}", cluster, error);
    }

    private void event(EventType type, String message) {
        try {
            services.events().appendEvent(cluster, new ClusterEvent(clock.instant(), null, type, message));
        } catch (RuntimeException e) {
            LOG.warn("backups of cluster {}: event not recorded ({}): {}", cluster, e.getMessage(), message);
        }
        LOG.info("backups of cluster {}: {}", cluster, message);
    }

    /** Stops looking and backing up; a backup running is left to finish or fail on its own thread. */
    @Override
    public void close() {
        try {
            if (latch != null) {
                latch.close(LeaderLatch.CloseMode.SILENT);
            }
        } catch (Exception e) {
            LOG.debug("closing the backup owner latch of {}: {}", cluster, e.toString());
        }
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backups.shutdown();
        probe.close();
    }
}
