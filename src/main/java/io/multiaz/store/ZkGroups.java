package io.multiaz.store;

import io.multiaz.model.ParameterGroup;
import io.multiaz.model.SubnetGroup;
import org.apache.zookeeper.CreateMode;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * DB subnet groups and DB cluster parameter groups, one JSON znode per group under
 * {@link StorePaths#subnetGroups()} and {@link StorePaths#parameterGroups()}, created once (so a
 * name is taken by whoever creates it first); parameter groups are changed by compare-and-set.
 * Thread-safe; it holds no state of its own.
 */
final class ZkGroups {
    private final ZkNodes nodes;
    private final StorePaths paths;

    ZkGroups(ZkNodes nodes, StorePaths paths) {
        this.nodes = nodes;
        this.paths = paths;
    }

    boolean createSubnetGroup(SubnetGroup group) {
        return nodes.create(paths.subnetGroup(group.name()), group, CreateMode.PERSISTENT);
    }

    Optional<SubnetGroup> subnetGroup(String name) {
        return nodes.value(paths.subnetGroup(name), SubnetGroup.class);
    }

    List<SubnetGroup> subnetGroups() {
        return nodes.listed(paths.subnetGroups(), this::subnetGroup);
    }

    boolean deleteSubnetGroup(String name) {
        return nodes.delete(paths.subnetGroup(name), -1);
    }

    boolean createParameterGroup(ParameterGroup group) {
        return nodes.create(paths.parameterGroup(group.name()), group, CreateMode.PERSISTENT);
    }

    Optional<ParameterGroup> parameterGroup(String name) {
        return nodes.value(paths.parameterGroup(name), ParameterGroup.class);
    }

    List<ParameterGroup> parameterGroups() {
        return nodes.listed(paths.parameterGroups(), this::parameterGroup);
    }

    Optional<ParameterGroup> updateParameterGroup(String name, UnaryOperator<ParameterGroup> change) {
        return nodes.update(paths.parameterGroup(name), ParameterGroup.class, change, "the parameter group " + name);
    }

    boolean deleteParameterGroup(String name) {
        return nodes.delete(paths.parameterGroup(name), -1);
    }
}
