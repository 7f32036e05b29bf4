package io.multiaz.cli;

import io.multiaz.config.Layout;
import io.multiaz.model.ClusterOverview;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;

/**
 * The {@code --cluster NAME} option of the commands that act on one cluster, and which cluster that
 * is ({@link #choose}): the named one, else the demo cluster, else the only one.
 */
final class ClusterOption {
    @Option(names = "--cluster", paramLabel = "NAME", description = "The DB cluster (default: the demo cluster, or "
            + "the only cluster when there is just one).")
    String cluster;

    /** The name given, if any. */
    Optional<String> requested() {
        return Optional.ofNullable(cluster);
    }

    /**
     * The cluster this command acts on, checked against the clusters the agents list; when no agent
     * can list them (the store does not answer), the name given or the demo cluster, unchecked: the
     * agent that gets the request answers for it.
     */
    String resolve(AgentClient agents, Layout layout) {
        Optional<List<String>> names = agents.clusters().map(l -> l.stream().map(o -> o.report().cluster()).toList());
        if (names.isEmpty()) {
            return requested().orElse(layout.demo().name());
        }
        return choose(requested(), layout.demo().name(), names.get());
    }

    /**
     * Which cluster a command acts on: {@code requested} if it exists; without one, {@code demo} if it
     * exists, else the only cluster.
     *
     * @param existing the names of the deployment's clusters
     * @throws UserError naming the clusters that exist, when {@code requested} is not one of them or
     *                   there is no default (no demo cluster and none or several others)
     */
    static String choose(Optional<String> requested, String demo, List<String> existing) {
        String listed = existing.isEmpty() ? "none" : String.join(", ", existing);
        if (requested.isPresent()) {
            if (existing.contains(requested.get())) {
                return requested.get();
            }
            throw new UserError("there is no cluster " + requested.get() + " in this deployment; clusters: " + listed
                    + " (choose one with --cluster NAME)");
        }
        if (existing.contains(demo)) {
            return demo;
        }
        if (existing.size() == 1) {
            return existing.getFirst();
        }
        throw new UserError(existing.isEmpty() ? "there is no cluster in this deployment; create one through the RDS "
                + "API (README: RDS API)"
                : "there is no demo cluster and several others; choose one with --cluster NAME: " + listed);
    }

    /** What a hint must add to a command to act on {@code name}: nothing for the demo cluster. */
    static String flag(String name, Layout layout) {
        return name.equals(layout.demo().name()) ? "" : " --cluster " + name;
    }

    /** {@code overviews} with the demo cluster first, the others in the order given. */
    static List<ClusterOverview> demoFirst(List<ClusterOverview> overviews, String demo) {
        return java.util.stream.Stream.concat(overviews.stream().filter(o -> o.report().cluster().equals(demo)),
                overviews.stream().filter(o -> !o.report().cluster().equals(demo))).toList();
    }
}
