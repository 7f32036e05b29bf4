package io.multiaz.api;

import io.multiaz.model.SubnetGroup;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input checks DB cluster and DB instance actions share ({@link RdsClusters}, {@link RdsInstances}):
 * identifiers, the engine and its version, availability zones, and the faults they refuse with, in
 * RDS's words. Static and stateless.
 */
final class RdsChecks {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}");

    private RdsChecks() {
    }

    /** {@code raw} in lower case if it is a valid RDS identifier. */
    static String identifier(String raw, String parameter) {
        if (!IDENTIFIER.matcher(raw).matches() || raw.endsWith("-")) {
            throw invalid("The parameter " + parameter + " is not a valid identifier: " + raw + ". Identifiers must"
                    + " begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end"
                    + " with a hyphen or contain two consecutive hyphens (at most 63 characters).");
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    /** Checks Engine and, when given, EngineVersion against what {@code backend} runs. */
    static void engine(QueryRequest q, RdsBackend backend) {
        String engine = q.string("Engine");
        if (!engine.equals(RdsShapes.ENGINE)) {
            throw invalid("Invalid DB engine " + engine + ": multiaz runs " + RdsShapes.ENGINE + " only.");
        }
        q.optionalString("EngineVersion").ifPresent(v -> engineVersion(v, backend));
    }

    /** Checks that {@code version} is the version {@code backend} runs, in full or its major version. */
    static void engineVersion(String version, RdsBackend backend) {
        String installed = backend.engineVersion();
        if (!version.equals(installed) && !version.equals(RdsShapes.majorVersion(installed))) {
            throw invalid("Cannot find version " + version + " for " + RdsShapes.ENGINE + ": this deployment runs "
                    + installed + " (see DescribeDBEngineVersions).");
        }
    }

    /**
     * The zones a cluster may use: those asked for, else the subnet group's, else all; each must be
     * one of the deployment's (and of the subnet group's, when there is one).
     */
    static List<String> zones(RdsBackend backend, List<String> asked, Optional<SubnetGroup> subnetGroup) {
        List<String> deployment = backend.zones();
        List<String> group = subnetGroup.map(g -> g.subnets().stream().map(SubnetGroup.Subnet::availabilityZone)
                .distinct().filter(deployment::contains).toList()).orElse(deployment);
        for (String z : asked) {
            if (!group.contains(z)) {
                throw invalid("AvailabilityZone " + z + " is not available here; choose from " + group + ".");
            }
        }
        List<String> chosen = asked.isEmpty() ? group : List.copyOf(new LinkedHashSet<>(asked));
        return deployment.stream().filter(chosen::contains).toList();
    }

    static ApiException invalid(String message) {
        return new ApiException(RdsFault.INVALID_PARAMETER_VALUE, message);
    }

    static ApiException combination(String message) {
        return new ApiException(RdsFault.INVALID_PARAMETER_COMBINATION, message);
    }
}
