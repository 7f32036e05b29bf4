package io.multiaz.store;

import io.multiaz.model.MemberState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The member records of a cluster: one ephemeral znode per member, bound to the session that
 * published it last, taken over from an older session of the same member. Which ephemerals to
 * remove on close is the caller's to track. Thread-safe; it holds no state of its own.
 */
final class ZkMembers {
    private static final int PUBLISH_ATTEMPTS = 3;

    private final ZkNodes nodes;
    private final StorePaths paths;

    ZkMembers(ZkNodes nodes, StorePaths paths) {
        this.nodes = nodes;
        this.paths = paths;
    }

    /** The members of {@code cluster} by name. */
    Map<String, MemberState> read(String cluster) {
        Map<String, MemberState> members = new HashMap<>();
        for (String name : nodes.children(paths.members(cluster))) {
            // A member that left between listing and reading is simply not there.
            nodes.get(paths.member(cluster, name), MemberState.class)
                    .ifPresent(s -> members.put(name, s.value()));
        }
        return members;
    }

    /** Publishes {@code member} as an ephemeral of this session at {@link StorePaths#member}. */
    void publish(String cluster, MemberState member) {
        String path = paths.member(cluster, member.name());
        for (int attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
            if (publishOnce(path, member)) {
                return;
            }
        }
        throw new StoreException("could not publish member " + member.name() + " at " + path + ": its record changed "
                + "under us " + PUBLISH_ATTEMPTS + " times in a row; another session is publishing the same member");
    }

    private boolean publishOnce(String path, MemberState member) {
        Optional<Stat> stat = nodes.stat(path);
        if (stat.isEmpty()) {
            return nodes.create(path, member, CreateMode.EPHEMERAL);
        }
        long owner = stat.get().getEphemeralOwner();
        if (owner != 0 && owner == nodes.sessionId()) {
            return nodes.set(path, member, stat.get().getVersion());
        }
        return nodes.replaceWithEphemeral(path, stat.get().getVersion(), member);
    }

    /** Deletes {@code path} when it is an ephemeral znode of this session. */
    void deleteIfOwned(String path) {
        long session = nodes.sessionId();
        nodes.stat(path)
                .filter(stat -> stat.getEphemeralOwner() != 0 && stat.getEphemeralOwner() == session)
                .ifPresent(stat -> nodes.delete(path, stat.getVersion()));
    }
}
