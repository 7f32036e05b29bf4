package io.multiaz.fuzz;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a service's fuzzing knows beyond its model: the values that name real things in the
 * deployment (so generated calls reach past "not found"), by hint key ({@code DBClusterIdentifier},
 * {@code Tag.Key}, {@code AvailabilityZones}: a top-level member, a member of a structure shape, or a
 * list of scalars), optionally per action ({@code DeleteDBCluster.DBClusterIdentifier}) — which is
 * also how a target keeps destructive calls away from what must survive the run: a pool of values
 * for an action is all the names it will ever be given there, mutations only break them.
 * Immutable.
 *
 * @param byKey        values by hint key, for every action
 * @param byActionKey  values by {@code <action>.<hint key>}, before {@code byKey}
 * @param optionalRate how often an optional member without a pool is sent (one with a pool: half the time)
 * @param alwaysSent   hint keys of optional members sent every time (those the service needs in practice)
 */
public record Hints(Map<String, List<String>> byKey, Map<String, List<String>> byActionKey, double optionalRate,
                    java.util.Set<String> alwaysSent) {
    public Hints {
        byKey = Map.copyOf(byKey);
        byActionKey = Map.copyOf(byActionKey);
        alwaysSent = java.util.Set.copyOf(alwaysSent);
        if (optionalRate < 0 || optionalRate > 1) {
            throw new IllegalArgumentException("optionalRate is a probability, got " + optionalRate);
        }
    }

    /** No pools: every value comes from the model's types alone. */
    public static Hints none() {
        return new Hints(Map.of(), Map.of(), 0.2, java.util.Set.of());
    }

    /** The values for {@code key} in {@code action}, if the target gave any. */
    public Optional<List<String>> pool(String action, String key) {
        List<String> values = byActionKey.get(action + "." + key);
        return Optional.ofNullable(values != null ? values : byKey.get(key));
    }
}
