package io.multiaz.store;

import io.multiaz.model.BackupStatus;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.model.ParameterGroup;
import io.multiaz.model.SubnetGroup;
import org.apache.curator.framework.CuratorFramework;

import java.util.Objects;

/**
 * What the RDS API keeps in the store besides the HA coordination, one repository per resource,
 * built in one place: {@link #onZooKeeper} for the agents, in-memory twins for tests. Adding a
 * resource is one record type, one component here (with its {@link StorePaths} path) and its API
 * handler.
 *
 * @param clusters         the cluster specs and slots
 * @param events           the clusters' event logs, shared with the HA loop
 * @param subnetGroups     DB subnet groups by name
 * @param parameterGroups  DB cluster parameter groups by name
 * @param clusterSnapshots DB cluster snapshot records by identifier (the files are on one zone's host)
 * @param tags             the tags of clusters and instances
 * @param backups          each cluster's backup status by cluster name, written by the agent owning its backups
 */
public record RdsRecords(Clusters clusters, ClusterEvents events, Records<SubnetGroup> subnetGroups,
                         Records<ParameterGroup> parameterGroups, Records<DbClusterSnapshot> clusterSnapshots,
                         Tags tags, Records<BackupStatus> backups) {
    public RdsRecords {
        Objects.requireNonNull(clusters, "clusters");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(subnetGroups, "subnetGroups");
        Objects.requireNonNull(parameterGroups, "parameterGroups");
        Objects.requireNonNull(clusterSnapshots, "clusterSnapshots");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(backups, "backups");
    }

    /**
     * The repositories laid out by {@code paths} on a started client the caller owns, with the event
     * logs of {@code events} (the agent's {@link ClusterStore}, which keeps them trimmed).
     */
    public static RdsRecords onZooKeeper(CuratorFramework client, StorePaths paths, ClusterEvents events) {
        ZkNodes nodes = new ZkNodes(client);
        return new RdsRecords(new CuratorClusters(client, paths), events,
                new ZkRecords<>(nodes, paths.subnetGroups(), paths::subnetGroup, SubnetGroup.class,
                        "DB subnet group"),
                new ZkRecords<>(nodes, paths.parameterGroups(), paths::parameterGroup, ParameterGroup.class,
                        "DB cluster parameter group"),
                new ZkRecords<>(nodes, paths.clusterSnapshots(), paths::clusterSnapshot, DbClusterSnapshot.class,
                        "DB cluster snapshot"),
                new Tags(cluster -> new ZkRecords<>(nodes, paths.tags(cluster), resource -> paths.tags(cluster, resource),
                        Tags.TagSet.class, "tags of cluster " + cluster + ", resource")),
                new ZkRecords<>(nodes, paths.backups(), paths::backup, BackupStatus.class, "backup status of cluster"));
    }
}
