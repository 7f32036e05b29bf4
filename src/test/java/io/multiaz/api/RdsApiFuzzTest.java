package io.multiaz.api;

import io.multiaz.fuzz.CaseGenerator;
import io.multiaz.fuzz.FuzzRequest;
import io.multiaz.fuzz.FuzzTarget;
import io.multiaz.fuzz.RdsFuzzTarget;
import io.multiaz.fuzz.ServiceModel;
import io.multiaz.fuzz.SignedSender;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.InstanceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fuzzer's cases (issue 21) against the API server on a real Javalin over the tests'
 * in-memory backend, in the unit suite: no 5xx, only declared or common codes, and a refused call
 * changes none of the in-memory records. The deployment run (RdsFuzzIT, bench/fuzz) adds the real
 * store, the agents and their logs.
 */
final class RdsApiFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 1000);
    private static final AccessKey KEY = new AccessKey("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    private final FixedBackend backend = new FixedBackend();
    private RdsApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fuzzCases_inMemoryBackend_noServerErrorsAndRefusalsChangeNothing() throws Exception {
        assumeTrue(Files.exists(ServiceModel.AWS_CLI_MODELS), "the AWS CLI's service models are not installed");
        RdsActions actions = backend.actions();
        server = new RdsApiServer(KEY, actions, Clock.systemUTC()).start("127.0.0.1", 0);
        URI endpoint = URI.create("http://127.0.0.1:" + server.port());
        AwsCredentialsIdentity credentials = AwsCredentialsIdentity.create(KEY.accessKeyId(), KEY.secretAccessKey());
        FuzzTarget target = new FuzzTarget("rds", ServiceModel.awsCli("rds", "2014-10-31"), RdsActions.SUPPORTED,
                RdsFuzzTarget.COMMON_ERRORS, RdsFuzzTarget.hints("local-1", new RdsFuzzTarget.Fixtures("postgres15", "15.14")),
                endpoint, "local-1", credentials);
        List<String> violations = new ArrayList<>();
        try (SignedSender sender = new SignedSender(endpoint, "rds", "local-1", credentials)) {
            fixtures(actions);
            CaseGenerator cases = new CaseGenerator(target);
            for (int n = 0; n < CASES; n++) {
                FuzzRequest req = cases.request(SEED, n);
                List<Object> before = state();
                SignedSender.Answer answer = sender.send(req);
                String code = answer.code().orElse(null);
                boolean refused = answer.status() >= 400 && answer.status() < 500;
                if (answer.status() == -1 || answer.status() >= 500) {
                    violations.add(n + " " + answer.status() + " " + code + " " + answer.failure() + ": " + req.describe(300));
                } else if (refused && !target.allowedCodes(req.action()).contains(code)) {
                    violations.add(n + " unlisted " + code + ": " + req.describe(300));
                } else if (refused && !before.equals(state())) {
                    violations.add(n + " refused with " + code + " yet changed the records: " + req.describe(300));
                }
            }
        }

        assertThat(violations).isEmpty();
    }

    /** What RdsFuzzTarget.prepare makes in a deployment, but the demo cluster's parameter group (its spec is fixed here). */
    private static void fixtures(RdsActions actions) {
        FixedBackend.call(actions, "CreateDBClusterParameterGroup", "DBClusterParameterGroupName", "fz-params",
                "DBParameterGroupFamily", "postgres15", "Description", "fuzz");
        FixedBackend.call(actions, "CreateDBSubnetGroup", "DBSubnetGroupName", "fz-subnets", "DBSubnetGroupDescription",
                "fuzz", "SubnetIds.SubnetIdentifier.1", "subnet-a", "SubnetIds.SubnetIdentifier.2", "subnet-b");
        FixedBackend.call(actions, "CreateDBCluster", "DBClusterIdentifier", "fz-aurora", "Engine", "postgres",
                "MasterUsername", "fzadmin", "MasterUserPassword", "fz-secret-1");
    }

    /** Everything the API can write to the in-memory records: specs, tags, groups, snapshots and the API's events. */
    private List<Object> state() {
        List<Object> state = new ArrayList<>();
        var records = backend.records;
        for (String c : records.clusters().names()) {
            ClusterSpec spec = backend.spec(c);
            state.add(spec);
            state.add(records.tags().get(c, "cluster"));
            for (InstanceSpec i : spec.instances()) {
                state.add(records.tags().get(c, "db:" + i.name()));
            }
            state.add(records.events().events(c, 1000));
        }
        state.add(records.tags().get("demo", "cluster"));
        state.add(records.subnetGroups().list());
        state.add(records.parameterGroups().list());
        state.add(records.clusterSnapshots().list());
        state.add(List.copyOf(backend.switchovers));
        state.add(List.copyOf(backend.reboots));
        state.add(List.copyOf(backend.passwords));
        return state;
    }
}
