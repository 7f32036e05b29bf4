package io.multiaz.api;

import io.multiaz.model.SubnetGroup;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input checks DB cluster, DB instance and DB cluster snapshot actions share ({@link RdsClusters},
 * {@link RdsInstances}, {@link RdsClusterSnapshots}):
 * identifiers, the engine and its version, availability zones, and the faults they refuse with, in
 * RDS's words. Static and stateless.
 */
final class RdsChecks {
    /** Clusters and instances: 1-63 characters. */
    static final int MAX_IDENTIFIER = 63;
    /** DB cluster snapshots: 1-255 characters. */
    static final int MAX_SNAPSHOT_IDENTIFIER = 255;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z](?:[A-Za-z0-9]|-(?!-))*");

    private RdsChecks() {
    }

    /** {@code raw} in lower case if it is a valid cluster or instance identifier. */
    static String identifier(String raw, String parameter) {
        return identifier(raw, parameter, MAX_IDENTIFIER);
    }

    /** {@code raw} in lower case if it is a valid RDS identifier of at most {@code maxLength} characters. */
    static String identifier(String raw, String parameter, int maxLength) {
        if (!isIdentifier(raw, maxLength)) {
            throw invalid("The parameter " + parameter + " is not a valid identifier: " + raw + ". Identifiers must"
                    + " begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end"
                    + " with a hyphen or contain two consecutive hyphens (at most " + maxLength + " characters).");
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code raw} has the shape of an RDS identifier of at most {@code maxLength} characters. */
    static boolean isIdentifier(String raw, int maxLength) {
        return raw.length() <= maxLength && IDENTIFIER.matcher(raw).matches() && !raw.endsWith("-");
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
