package io.multiaz.fuzz;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One service under fuzzing — the plug-in point for each service multiaz serves (RDS today; STS,
 * SSM, … as they land): its model file, the actions it serves, the errors common to all its actions,
 * the hints that make generated calls reach real resources, and where and how to call it.
 * Immutable.
 *
 * @param service      a name for reports, e.g. {@code rds}
 * @param model        the service model the AWS CLI ships for it
 * @param actions      the actions the deployment serves (each must be an operation of the model)
 * @param commonErrors codes any action may answer with a 4xx besides those its operation declares
 * @param region       the region requests are signed for
 */
public record FuzzTarget(String service, ServiceModel model, Set<String> actions, Set<String> commonErrors,
                         Hints hints, URI endpoint, String region, AwsCredentialsIdentity credentials) {
    public FuzzTarget {
        Objects.requireNonNull(service, "service");
        actions = Set.copyOf(actions);
        commonErrors = Set.copyOf(commonErrors);
        for (String action : actions) {
            model.operation(action);
        }
    }

    /** The actions in a fixed order, so a seed picks the same ones on every run. */
    List<String> sortedActions() {
        return actions.stream().sorted().toList();
    }

    /** The codes a 4xx answer to {@code action} may carry: the operation's declared errors and the common ones. */
    public Set<String> allowedCodes(String action) {
        Set<String> codes = new HashSet<>(model.operation(action).errorCodes());
        codes.addAll(commonErrors);
        return codes;
    }

    /** Whether {@code action} only reads (Describe…, List…, Get…): nothing to wait for after it succeeds. */
    static boolean readOnly(String action) {
        return action.startsWith("Describe") || action.startsWith("List") || action.startsWith("Get");
    }
}
