package io.multiaz.agent;

import io.multiaz.api.InstanceClasses;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.ParameterGroup;
import io.multiaz.store.ClusterStore;
import io.multiaz.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server parameters of one instance, as an RDS user expects them: first what its instance
 * class implies ({@link InstanceClasses#serverSettings}), then the values of the cluster's DB
 * cluster parameter group, then the spec's own parameters (those {@code multiaz up} sets). Read
 * when the instance's server is configured, i.e. at its start: a group change reaches a running
 * server at its next restart (RebootDBInstance), as RDS applies {@code pending-reboot} changes.
 */
final class InstanceParameters {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceParameters.class);

    private InstanceParameters() {
    }

    static Map<String, String> of(ClusterSpec spec, InstanceSpec instance, Optional<ParameterGroup> group) {
        String instanceClass = instance.instanceClass() != null ? instance.instanceClass()
                : spec.rds().instanceClass();
        Map<String, String> p = new LinkedHashMap<>(InstanceClasses.serverSettings(instanceClass));
        group.ifPresent(g -> g.parameters().forEach((name, setting) -> p.put(name, setting.value())));
        p.putAll(spec.parameters());
        return p;
    }

    /** {@link #of} with the group read from {@code store}; without it when the store does not answer. */
    static Map<String, String> of(ClusterStore store, ClusterSpec spec, InstanceSpec instance) {
        Optional<ParameterGroup> group = Optional.empty();
        if (spec.rds().parameterGroup() != null) {
            try {
                group = store.parameterGroup(spec.rds().parameterGroup());
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
