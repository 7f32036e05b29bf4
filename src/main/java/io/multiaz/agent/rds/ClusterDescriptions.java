package io.multiaz.agent.rds;

import io.multiaz.api.ClusterDescription;
import io.multiaz.config.Layout;
import io.multiaz.endpoint.Cidr;
import io.multiaz.endpoint.EndpointAddresses;
import io.multiaz.model.Bootstrap;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.ClusterReport;
import io.multiaz.model.BackupStatus;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.EventType;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.Clusters;
import io.multiaz.store.Records;
import io.multiaz.store.StoreException;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RDS API's view of each cluster as the store has it now (spec, bootstrap, lease, members),
 * with the endpoint addresses of its slot, the installed engine version and its create time.
 * Called on the API server's threads; it caches only facts that never change (the create times of
 * demo clusters, from their "bootstrapped" event). Store failures propagate as {@link StoreException}.
 */
final class ClusterDescriptions {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDescriptions.class);

    private final ClusterStore store;
    private final Records<BackupStatus> backups;
    private final Clusters clusters;
    private final Layout layout;
    private final Cidr block;
    private final String engineVersion;
    private final Map<String, Instant> createTimes = new ConcurrentHashMap<>();

    ClusterDescriptions(ClusterStore store, Clusters clusters, Records<BackupStatus> backups, Layout layout,
                        String engineVersion) {
        this.store = store;
        this.backups = backups;
        this.clusters = clusters;
        this.layout = layout;
        this.block = Cidr.parse(layout.endpoints().network());
        this.engineVersion = engineVersion;
    }

    /** Every cluster with a spec, by name; one deleted while reading is left out. */
    List<ClusterDescription> all() {
        return clusters.names().stream().map(this::of).flatMap(Optional::stream).toList();
    }

    /** The cluster {@code name}, if it has a spec. */
    Optional<ClusterDescription> of(String name) {
        ClusterSnapshot s = store.read(name);
        return s.spec().map(spec -> describe(spec, s));
    }

    private ClusterDescription describe(ClusterSpec spec, ClusterSnapshot s) {
        ClusterReport report = ClusterReport.of(spec, s);
        EndpointAddresses addresses = EndpointAddresses.of(block, spec, layout.endpoints().port());
        Map<String, String> instances = new LinkedHashMap<>();
        addresses.instances().forEach((name, a) -> instances.put(name, a.getAddress().getHostAddress()));
        Instant created = spec.rds().createdAt() != null ? spec.rds().createdAt() : createTime(spec.name());
        boolean bootstrapped = s.bootstrap().map(Bootstrap::complete).orElse(false);
        return new ClusterDescription(spec, report, engineVersion,
                addresses.writer().getAddress().getHostAddress(), addresses.reader().getAddress().getHostAddress(),
                instances, addresses.writer().getPort(), created, layout.api().region(), bootstrapped,
                backupStatus(spec.name()));
    }

    /** The backup status of {@code cluster}; null when none is published or the store does not answer it. */
    private BackupStatus backupStatus(String cluster) {
        try {
            return backups.get(cluster).orElse(null);
        } catch (StoreException e) {
            return null;
        }
    }

    /** When a demo cluster's bootstrap completed, from its "bootstrapped" event; null when not kept. */
    private Instant createTime(String cluster) {
        Instant known = createTimes.get(cluster);
        if (known != null) {
            return known;
        }
        try {
            Instant at = store.events(cluster, 1000).stream().filter(e -> e.type() == EventType.BOOTSTRAPPED)
                    .map(ClusterEvent::at).findFirst().orElse(null);
            if (at != null) {
                createTimes.put(cluster, at);
            }
            return at;
        } catch (StoreException e) {
            LOG.debug("cannot read the events of {} for ClusterCreateTime ({}); answering without it", cluster,
                    e.getMessage());
            return null;
        }
    }
}
