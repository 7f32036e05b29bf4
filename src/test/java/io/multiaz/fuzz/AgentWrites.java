package io.multiaz.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;
import io.multiaz.fuzz.StoreDump.Znode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What multiaz's agents write in the store on their own, so that a change between two dumps taken
 * around a refused request can be told apart from one the request made. A change is the agents'
 * ("excused") when it is:
 *
 * <ol>
 * <li>of an ephemeral znode: members' states, the writer lease, leader latches, which live and
 *     change with the agents' sessions;</li>
 * <li>under a cluster's {@code events} or {@code history}: the HA loops append events and writers,
 *     and the event log drops its oldest — except a new event of a kind only the API writes
 *     ({@link #API_EVENTS}), which a refused request must not have written;</li>
 * <li>a cluster's {@code bootstrap}, {@code fence} or {@code members}: HA records the HA loops write;</li>
 * <li>under {@code endpoints}: the endpoints agents' owner elections;</li>
 * <li>under {@code backups} and {@code backup-owners}: the backup owners' status records and their
 *     elections;</li>
 * <li>the removal of a cluster's {@code request}: the HA loop ends the operator request it carried out;</li>
 * <li>anything of a cluster that was being deleted or removing instances before (its subtree and
 *     its slot), and the removal of what is left of a cluster whose spec was already gone: the agents
 *     carry the deletion out, the spec first, the slot last;</li>
 * <li>a DB cluster snapshot that was {@code creating} or {@code deleting} before: the agent holding
 *     its files finishes it.</li>
 * </ol>
 * Everything else — specs, slots, tags, subnet and parameter groups, snapshots at rest, the
 * creation or change of a request or a pause — only the API writes, so a change there after a
 * refusal is the refused request's. Rules 6-8 cover work a successful call leaves to the agents;
 * {@link #pending} says whether such work is still in flight, and the fuzzer waits for it to end
 * after each successful change. Stateless.
 */
final class AgentWrites {
    private static final Pattern CLUSTER_PATH = Pattern.compile("/clusters/([^/]+)(/([^/]+))?(/.*)?");
    private static final Pattern SLOT_PATH = Pattern.compile("/slots/[0-9]+");
    private static final Pattern SNAPSHOT_PATH = Pattern.compile("/cluster-snapshots/([^/]+)");

    /** The event kinds the API writes, on success only. */
    static final java.util.Set<String> API_EVENTS = java.util.Set.of("cluster-created", "cluster-modified",
            "cluster-deleting", "instance-created", "instance-deleting", "instance-rebooting", "switchover-requested",
            "failover-requested");

    private final String root;

    AgentWrites(String root) {
        this.root = root;
    }

    /** The changes from {@code before} to {@code after} the agents do not explain, one line each. */
    List<String> unexplained(Map<String, Znode> before, Map<String, Znode> after) {
        List<String> changes = new ArrayList<>();
        java.util.SortedSet<String> paths = new java.util.TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        for (String path : paths) {
            Znode was = before.get(path);
            Znode now = after.get(path);
            if (Objects.equals(was, now) || excused(path, was, now, before)) {
                continue;
            }
            changes.add((was == null ? "created " : now == null ? "removed " : "changed ") + path
                    + (now == null ? "" : " = " + Text.visible(now.data(), 160)));
        }
        return changes;
    }

    /**
     * Whether a change of {@code fullPath} is the agents' whatever its data: a member's state, the
     * lease, the fence, the bootstrap record, the writer history, an endpoint election (rules 1, 3, 4
     * and the history of rule 2, by path alone). A new event is not: it may be of a kind the API writes.
     */
    boolean agentsOnly(String fullPath) {
        String path = relative(fullPath);
        for (String agents : List.of("/endpoints", "/backups", "/backup-owners")) {
            if (path.equals(agents) || path.startsWith(agents + "/")) {
                return true;
            }
        }
        Matcher c = CLUSTER_PATH.matcher(path);
        return c.matches() && c.group(3) != null
                && List.of("members", "leader", "fence", "bootstrap", "history").contains(c.group(3));
    }

    /**
     * What work a successful call left the agents (rules 5-7 above) is still in flight in {@code dump},
     * e.g. "cluster web is being deleted"; empty when none.
     */
    Optional<String> pending(Map<String, Znode> dump) {
        for (Map.Entry<String, Znode> e : dump.entrySet()) {
            String path = relative(e.getKey());
            Matcher c = CLUSTER_PATH.matcher(path);
            if (c.matches() && c.group(3) == null && !dump.containsKey(root + "/clusters/" + c.group(1) + "/spec")) {
                return Optional.of("cluster " + c.group(1) + " has records but no spec (being removed)");
            }
            if (SLOT_PATH.matcher(path).matches()
                    && !dump.containsKey(root + "/clusters/" + field(e.getValue(), "cluster").orElse("") + "/spec")) {
                return Optional.of("slot " + path + " of a cluster without a spec (being freed)");
            }
            if (c.matches() && "request".equals(c.group(3)) && c.group(4) == null) {
                return Optional.of("cluster " + c.group(1) + " has an operator request in progress");
            }
            if (c.matches() && "spec".equals(c.group(3)) && c.group(4) == null && leaving(e.getValue())) {
                return Optional.of("cluster " + c.group(1) + " is being deleted or removing instances");
            }
            if (SNAPSHOT_PATH.matcher(path).matches() && transient_(e.getValue())) {
                return Optional.of("snapshot " + path + " is " + field(e.getValue(), "status").orElse(""));
            }
        }
        return Optional.empty();
    }

    private boolean excused(String fullPath, Znode was, Znode now, Map<String, Znode> before) {
        if ((was != null && was.ephemeral()) || (now != null && now.ephemeral())) {
            return true;
        }
        String path = relative(fullPath);
        for (String agents : List.of("/endpoints", "/backups", "/backup-owners")) {
            if (path.equals(agents) || path.startsWith(agents + "/")) {
                return true;
            }
        }
        Matcher c = CLUSTER_PATH.matcher(path);
        if (c.matches() && c.group(3) != null) {
            String record = c.group(3);
            if (record.equals("events") && was == null && now != null
                    && API_EVENTS.contains(field(now, "type").orElse(""))) {
                return false;
            }
            if (List.of("events", "history", "bootstrap", "fence", "members").contains(record)) {
                return true;
            }
            if (record.equals("request") && c.group(4) == null && now == null) {
                return true;
            }
        }
        if (c.matches() && removing(before, c.group(1), now)) {
            return true;
        }
        if (SLOT_PATH.matcher(path).matches()) {
            return removing(before, field(was != null ? was : now, "cluster").orElse(""), now);
        }
        return SNAPSHOT_PATH.matcher(path).matches() && transient_(was);
    }

    /**
     * Whether a change of {@code cluster}'s records (to {@code now}) is the agents': any change while its
     * spec says it is leaving, a removal once its spec is gone.
     */
    private boolean removing(Map<String, Znode> before, String cluster, Znode now) {
        Znode spec = before.get(root + "/clusters/" + cluster + "/spec");
        return leaving(spec) || (spec == null && now == null);
    }

    /** Whether a spec says the cluster is being deleted or is removing instances. */
    private static boolean leaving(Znode spec) {
        JsonNode rds = json(spec).map(j -> j.path("rds")).orElse(null);
        return rds != null && (rds.path("deleting").asBoolean(false) || rds.path("retiring").size() > 0);
    }

    private static boolean transient_(Znode snapshot) {
        String status = field(snapshot, "status").orElse("");
        return status.equals("creating") || status.equals("deleting");
    }

    private static Optional<String> field(Znode node, String name) {
        return json(node).map(j -> j.path(name).asText(""));
    }

    private static Optional<JsonNode> json(Znode node) {
        if (node == null || node.data().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readTree(node.data()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String relative(String path) {
        return path.startsWith(root) ? path.substring(root.length()) : path;
    }
}
