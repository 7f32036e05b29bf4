package io.multiaz.store;

import java.util.Objects;

/**
 * The znode layout of multiaz, the one place that knows it. Everything lives under {@code root}
 * (default {@value #DEFAULT_ROOT}); who writes each record is named after it:
 *
 * <pre>
 * /multiaz/clusters/&lt;cluster&gt;/spec                 persistent  ClusterSpec JSON (Clusters)
 * /multiaz/clusters/&lt;cluster&gt;/bootstrap            persistent  Bootstrap JSON, created once (ClusterStore)
 * /multiaz/clusters/&lt;cluster&gt;/leader               ephemeral   the writer lease, {"holder": member} (ClusterStore)
 * /multiaz/clusters/&lt;cluster&gt;/fence                persistent  {"writer", "epoch"}; version is the znode's (ClusterStore)
 * /multiaz/clusters/&lt;cluster&gt;/members/&lt;instance&gt;   ephemeral   MemberState JSON (ClusterStore)
 * /multiaz/clusters/&lt;cluster&gt;/request              persistent  the pending OperatorRequest JSON, created once (ClusterStore)
 * /multiaz/clusters/&lt;cluster&gt;/paused               persistent  exists while automatic actions are paused; content ignored (ClusterStore)
 * /multiaz/clusters/&lt;cluster&gt;/events/event-NNNNNNNNNN   persistent sequential  ClusterEvent JSON, newest kept (ClusterEvents)
 * /multiaz/clusters/&lt;cluster&gt;/history/entry-NNNNNNNNNN  persistent sequential  HistoryEntry JSON, all kept (ClusterStore)
 * /multiaz/clusters/&lt;cluster&gt;/tags/&lt;resource&gt;     persistent  {"tags": {key: value}} of "cluster" or "db:&lt;instance&gt;" (Tags)
 * /multiaz/slots/NN                           persistent  {"cluster": name}: cluster slot NN (1-15) is taken (Clusters)
 * /multiaz/subnet-groups/&lt;name&gt;                 persistent  SubnetGroup JSON (RdsRecords)
 * /multiaz/parameter-groups/&lt;name&gt;              persistent  ParameterGroup JSON, DB cluster parameter groups (RdsRecords)
 * /multiaz/cluster-snapshots/&lt;id&gt;               persistent  DbClusterSnapshot JSON; the files are on one zone's host (RdsRecords)
 * /multiaz/backups/&lt;cluster&gt;                   persistent  BackupStatus JSON, written by the agent owning the cluster's backups (RdsRecords)
 * /multiaz/backup-owners/&lt;cluster&gt;/…           ephemeral sequential  Curator LeaderLatch: the elected agent runs the
 *                                             cluster's archiving checks and backups (backup.BackupController)
 * /multiaz/endpoints/&lt;netns&gt;/&lt;cluster&gt;/owner/…     ephemeral sequential  Curator LeaderLatch of the agents sharing the
 *                                             network namespace &lt;netns&gt; (its inode): the elected one programs
 *                                             the cluster's endpoints there (EndpointController)
 * </pre>
 *
 * <p>Deleting a cluster deletes its {@code clusters/<cluster>} subtree, then frees its slot; the
 * endpoint election of each namespace is removed by the agents there. The sequential children are
 * ordered by the 10-digit sequence number ZooKeeper appends to their names; a name may also carry a
 * prefix of Curator's protected mode ({@code _c_<uuid>-}) before the name given here.
 *
 * <p>Names become single path segments, so they must be non-empty and free of {@code '/'}.
 * Immutable and thread-safe.
 *
 * @param root absolute path without a trailing slash, e.g. {@code /multiaz}
 */
public record StorePaths(String root) {
    public static final String DEFAULT_ROOT = "/multiaz";

    public StorePaths {
        Objects.requireNonNull(root, "root");
        if (!root.startsWith("/") || root.length() < 2 || root.endsWith("/") || root.contains("//")) {
            throw new IllegalArgumentException("store root must be an absolute path like /multiaz "
                    + "without a trailing slash, got '" + root + "'");
        }
    }

    /** The layout under {@value #DEFAULT_ROOT}. */
    public static StorePaths defaults() {
        return new StorePaths(DEFAULT_ROOT);
    }

    /** Parent of all clusters; its children are cluster names. */
    public String clusters() {
        return root + "/clusters";
    }

    public String cluster(String cluster) {
        return clusters() + "/" + segment("cluster", cluster);
    }

    public String spec(String cluster) {
        return cluster(cluster) + "/spec";
    }

    public String bootstrap(String cluster) {
        return cluster(cluster) + "/bootstrap";
    }

    public String leader(String cluster) {
        return cluster(cluster) + "/leader";
    }

    public String fence(String cluster) {
        return cluster(cluster) + "/fence";
    }

    /** Parent of the members' ephemeral records; its children are instance names. */
    public String members(String cluster) {
        return cluster(cluster) + "/members";
    }

    public String member(String cluster, String instance) {
        return members(cluster) + "/" + segment("instance", instance);
    }

    public String request(String cluster) {
        return cluster(cluster) + "/request";
    }

    public String paused(String cluster) {
        return cluster(cluster) + "/paused";
    }

    /** Parent of the cluster's events, sequential children named {@link #event}{@code NNNNNNNNNN}. */
    public String events(String cluster) {
        return cluster(cluster) + "/events";
    }

    /** Path to create a new event at; ZooKeeper appends the sequence number. */
    public String event(String cluster) {
        return events(cluster) + "/event-";
    }

    /** Parent of the cluster's history, sequential children named {@link #historyEntry}{@code NNNNNNNNNN}. */
    public String history(String cluster) {
        return cluster(cluster) + "/history";
    }

    /** Path to create a new history entry at; ZooKeeper appends the sequence number. */
    public String historyEntry(String cluster) {
        return history(cluster) + "/entry-";
    }

    /** Parent of the DB subnet groups; its children are group names. */
    public String subnetGroups() {
        return root + "/subnet-groups";
    }

    public String subnetGroup(String name) {
        return subnetGroups() + "/" + segment("subnet group", name);
    }

    /** Parent of the DB cluster parameter groups; its children are group names. */
    public String parameterGroups() {
        return root + "/parameter-groups";
    }

    public String parameterGroup(String name) {
        return parameterGroups() + "/" + segment("parameter group", name);
    }

    /** Parent of the clusters' backup status records; its children are cluster names. */
    public String backups() {
        return root + "/backups";
    }

    public String backup(String cluster) {
        return backups() + "/" + segment("cluster", cluster);
    }

    /** The leader latch of the agents for {@code cluster}'s backups: its children are the candidates. */
    public String backupOwner(String cluster) {
        return root + "/backup-owners/" + segment("cluster", cluster);
    }

    /** Parent of the DB cluster snapshots; its children are snapshot identifiers. */
    public String clusterSnapshots() {
        return root + "/cluster-snapshots";
    }

    public String clusterSnapshot(String identifier) {
        return clusterSnapshots() + "/" + segment("cluster snapshot", identifier);
    }

    /** Parent of the cluster slots taken; its children are two-digit slot numbers. */
    public String slots() {
        return root + "/slots";
    }

    public String slot(int slot) {
        return slots() + "/" + String.format("%02d", slot);
    }

    /** Parent of the cluster's resource tags; its children are resource names ("cluster", "db:demo-1"). */
    public String tags(String cluster) {
        return cluster(cluster) + "/tags";
    }

    public String tags(String cluster, String resource) {
        return tags(cluster) + "/" + segment("resource", resource);
    }

    /**
     * Where the agents sharing the network namespace {@code namespaceId} elect the owner of
     * {@code cluster}'s endpoints; removed with its latch when the cluster is deleted.
     */
    public String endpointElection(String namespaceId, String cluster) {
        return root + "/endpoints/" + segment("network namespace", namespaceId) + "/" + segment("cluster", cluster);
    }

    /** The leader latch path of {@link #endpointElection}: its children are the candidates. */
    public String endpointOwner(String namespaceId, String cluster) {
        return endpointElection(namespaceId, cluster) + "/owner";
    }

    /** True when {@code path} is {@code cluster}'s tags parent or one of its children. */
    public boolean isTags(String cluster, String path) {
        return isAtOrUnder(path, tags(cluster));
    }

    /** True when {@code path} is {@code cluster}'s events or history parent or one of their children. */
    public boolean isLog(String cluster, String path) {
        return isAtOrUnder(path, events(cluster)) || isAtOrUnder(path, history(cluster));
    }

    private static boolean isAtOrUnder(String path, String parent) {
        return path.equals(parent) || path.startsWith(parent + "/");
    }

    private static String segment(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(what + " name '" + name
                    + "' cannot be used in the store: it must be non-empty and contain no '/'");
        }
        return name;
    }
}
