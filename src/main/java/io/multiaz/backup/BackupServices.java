package io.multiaz.backup;

import io.multiaz.model.BackupStatus;
import io.multiaz.model.DbClusterSnapshot;
import io.multiaz.store.ClusterEvents;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.Records;
import io.multiaz.store.StorePaths;
import org.apache.curator.framework.CuratorFramework;

import java.time.Clock;
import java.util.Objects;

/**
 * What an agent's backups use, shared by every cluster's {@link BackupController}: the store (the
 * owner elections, the clusters' HA records, the backup status and snapshot records, the event
 * logs), the backup tool and the clock.
 */
public record BackupServices(CuratorFramework client, StorePaths paths, ClusterStore store,
                             Records<BackupStatus> statuses, Records<DbClusterSnapshot> snapshots,
                             ClusterEvents events, BackupTool tool, Clock clock) {
    public BackupServices {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(statuses, "statuses");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(clock, "clock");
    }
}
