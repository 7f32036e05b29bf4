package io.multiaz.agent.ha;

import io.multiaz.api.InstanceClasses;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.ParameterGroup;
import io.multiaz.store.Records;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server parameters of one instance, as an RDS user expects them: first what its instance
 * class implies ({@link InstanceClasses#serverSettings}; {@code max_connections} the largest of the
 * cluster's classes, since a hot standby refuses to run with fewer than its writer), then the
 * values of the cluster's DB
 * cluster parameter group, then the spec's own parameters (those {@code multiaz up} sets). Read
 * at the instance's start and on every reconciler pass: a change is reloaded into the running
 * server, which takes dynamic parameters at once and static ones at its next restart
 * (RebootDBInstance), as RDS applies {@code immediate} and {@code pending-reboot} changes.
 */
public final class InstanceParameters {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceParameters.class);

    private InstanceParameters() {
    }

    public static Map<String, String> of(ClusterSpec spec, InstanceSpec instance, Optional<ParameterGroup> group) {
        String instanceClass = instance.instanceClass() != null ? instance.instanceClass()
                : spec.rds().instanceClass();
        Map<String, String> p = new LinkedHashMap<>(InstanceClasses.serverSettings(instanceClass));
        // a hot standby refuses to start with fewer connections than its writer has: every instance
        // of the cluster takes the largest max_connections of their classes
        long connections = spec.instances().stream().mapToLong(i -> Long.parseLong(InstanceClasses.serverSettings(
                i.instanceClass() != null ? i.instanceClass() : spec.rds().instanceClass()).get("max_connections")))
                .max().orElse(Long.parseLong(p.get("max_connections")));
        p.put("max_connections", Long.toString(Math.max(connections, Long.parseLong(p.get("max_connections")))));
        group.ifPresent(g -> g.parameters().forEach((name, setting) -> p.put(name, setting.value())));
        p.putAll(spec.parameters());
        return p;
    }

    /** {@link #of} with the group read from {@code groups}; without it when the store does not answer. */
    public static Map<String, String> of(Records<ParameterGroup> groups, ClusterSpec spec, InstanceSpec instance) {
        Optional<ParameterGroup> group = Optional.empty();
        if (spec.rds().parameterGroup() != null) {
            try {
                group = groups.get(spec.rds().parameterGroup());
                if (group.isEmpty()) {
                    LOG.warn("{}: DB cluster parameter group {} of cluster {} is gone; starting with the defaults",
                            instance.name(), spec.rds().parameterGroup(), spec.name());
                }
            } catch (StoreException e) {
                LOG.warn("{}: cannot read parameter group {} ({}); starting with the defaults, it applies at the"
                        + " next restart", instance.name(), spec.rds().parameterGroup(), e.getMessage());
            }
        }
        return of(spec, instance, group);
    }
}
