package io.multiaz.fuzz;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Requests as botocore's Query serializer names their members, and cases that replay alone. */
final class CaseGeneratorTest {
    private static ServiceModel rds() throws Exception {
        assumeTrue(Files.exists(ServiceModel.AWS_CLI_MODELS), "the AWS CLI's service models are not installed");
        return ServiceModel.awsCli("rds", "2014-10-31");
    }

    private static FuzzTarget target(ServiceModel model) {
        return new FuzzTarget("rds", model, Set.of("CreateDBCluster", "ModifyDBClusterParameterGroup",
                "RemoveTagsFromResource", "DescribeDBClusters"), Set.of(), Hints.none(), URI.create("http://127.0.0.1:1"),
                "local-1", AwsCredentialsIdentity.create("a", "b"));
    }

    @Test
    void model_operations_haveInputAndDeclaredErrorCodes() throws Exception {
        ServiceModel model = rds();

        assertThat(model.apiVersion()).isEqualTo("2014-10-31");
        assertThat(model.signingName()).isEqualTo("rds");
        assertThat(model.operation("DescribeDBInstances").errorCodes()).containsExactly("DBInstanceNotFound");
        assertThat(model.shape(model.operation("CreateDBCluster").input()).required())
                .containsExactlyInAnyOrder("DBClusterIdentifier", "Engine");
    }

    @Test
    void generate_listsAndStructures_namedAsTheAwsCliSendsThem() throws Exception {
        ServiceModel model = rds();
        Hints always = new Hints(java.util.Map.of(), java.util.Map.of(), 1.0, Set.of());
        RequestGenerator generator = new RequestGenerator(model, always);

        List<String> names = generator.generate("CreateDBCluster", new Random(1)).params().stream()
                .map(FuzzRequest.Param::name).toList();
        List<String> parameters = generator.generate("ModifyDBClusterParameterGroup", new Random(1)).params().stream()
                .map(FuzzRequest.Param::name).toList();
        List<String> tagKeys = generator.generate("RemoveTagsFromResource", new Random(1)).params().stream()
                .map(FuzzRequest.Param::name).toList();

        assertThat(names).contains("DBClusterIdentifier", "Engine", "AvailabilityZones.AvailabilityZone.1",
                "Tags.Tag.1.Key", "VpcSecurityGroupIds.VpcSecurityGroupId.1", "EnableCloudwatchLogsExports.member.1",
                "ScalingConfiguration.MinCapacity");
        assertThat(parameters).contains("Parameters.Parameter.1.ParameterName", "Parameters.Parameter.1.ApplyMethod");
        assertThat(tagKeys).contains("ResourceName", "TagKeys.member.1");
    }

    @Test
    void request_sameSeedAndNumber_sameRequest() throws Exception {
        CaseGenerator cases = new CaseGenerator(target(rds()));

        for (int n = 0; n < 200; n++) {
            assertThat(cases.request(42, n)).isEqualTo(cases.request(42, n));
        }
        assertThat(cases.request(42, 1)).isNotEqualTo(cases.request(43, 1));
    }

    @Test
    void form_percentEncodesAsSigV4Canonicalizes() {
        FuzzRequest req = new FuzzRequest("DescribeDBClusters", "2014-10-31", List.of(new FuzzRequest.Param("Marker",
                "a b/é~+\n", null)), "&Marker=%zz", false, List.of());

        assertThat(req.form()).isEqualTo("Action=DescribeDBClusters&Version=2014-10-31&Marker=a%20b%2F%C3%A9~%2B%0A"
                + "&Marker=%zz");
    }
}
