package io.multiaz.agent.ha;

import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;

import java.util.Map;

/**
 * The server parameters an instance starts with (on top of those multiaz sets itself): where the
 * RDS API plugs in instance-class sizing and parameter groups.
 *
 * <p>Called on the reconciler's thread each time an instance is started; must not block for long.
 */
@FunctionalInterface
public interface ServerParameters {
    Map<String, String> of(ClusterSpec spec, InstanceSpec instance);
}
