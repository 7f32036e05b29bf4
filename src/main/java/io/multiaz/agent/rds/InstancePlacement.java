package io.multiaz.agent.rds;

import io.multiaz.api.ApiException;
import io.multiaz.api.RdsFault;
import io.multiaz.config.Layout;
import io.multiaz.config.ZoneLayout;
import io.multiaz.model.InstanceSpec;

import java.util.List;

/**
 * Where a new instance runs: on the host of the zone it is placed in, on a port of its own. The
 * demo cluster (slot 0) uses each zone's base port ({@code basePort + 10·zone}); a cluster in slot
 * s ≥ 1 gives its instance of ordinal k {@code basePort + 100 + 16·(s-1) + k}. Immutable.
 */
final class InstancePlacement {
    /** First port of the API-created clusters' instances, above the zones' ten ports each. */
    static final int CLUSTER_PORTS_OFFSET = 100;

    private final Layout layout;

    InstancePlacement(Layout layout) {
        this.layout = layout;
    }

    /** Instance {@code ordinal} of the cluster in {@code slot}, placed in zone {@code az}; refused for an unknown zone. */
    InstanceSpec place(int slot, int ordinal, String name, String az, String instanceClass) {
        List<ZoneLayout> zones = layout.zones();
        ZoneLayout zone = layout.zone(az).orElseThrow(() -> new ApiException(RdsFault.INVALID_PARAMETER_VALUE,
                "AvailabilityZone " + az + " is not one of " + zones.stream().map(ZoneLayout::az).toList() + "."));
        int port = slot == 0 ? layout.basePort() + 10 * zones.indexOf(zone)
                : layout.basePort() + CLUSTER_PORTS_OFFSET + 16 * (slot - 1) + ordinal;
        return new InstanceSpec(name, az, zone.host(), port, instanceClass, ordinal);
    }
}
