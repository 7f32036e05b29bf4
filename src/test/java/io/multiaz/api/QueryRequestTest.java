package io.multiaz.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bodies as botocore's Query serializer (the AWS CLI's) encodes them, and bad inputs. */
final class QueryRequestTest {
    private static final Set<String> ACTIONS = Set.of("DescribeDBClusters", "CreateDBCluster", "CreateDBSubnetGroup",
            "ModifyDBClusterParameterGroup", "RemoveTagsFromResource", "AddTagsToResource");

    @Test
    void parse_describeWithFilter_readsFilter() {
        QueryRequest request = post("Action=DescribeDBClusters&Version=2014-10-31"
                + "&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=postgres");

        assertThat(request.action()).isEqualTo("DescribeDBClusters");
        assertThat(request.filters()).containsExactly(new QueryRequest.Filter("engine", List.of("postgres")));
        assertThat(request.parameters()).doesNotContainKeys("Action", "Version");
    }

    @Test
    void parse_describeWithTwoFiltersAndPaging_readsAllInOrder() {
        QueryRequest request = post("Action=DescribeDBClusters&Version=2014-10-31"
                + "&Filters.Filter.1.Name=db-cluster-id&Filters.Filter.1.Values.Value.1=demo"
                + "&Filters.Filter.1.Values.Value.2=other%20db&Filters.Filter.2.Name=engine"
                + "&Filters.Filter.2.Values.Value.1=postgres&MaxRecords=20&Marker=abc%2Fdef%3D%3D");

        assertThat(request.filters()).containsExactly(
                new QueryRequest.Filter("db-cluster-id", List.of("demo", "other db")),
                new QueryRequest.Filter("engine", List.of("postgres")));
        assertThat(request.integer("MaxRecords")).isEqualTo(20);
        assertThat(request.optionalString("Marker")).hasValue("abc/def==");
        assertThat(request.structList("Filters", "Filter").get(0))
                .containsEntry("Name", "db-cluster-id")
                .containsEntry("Values.Value.2", "other db");
    }

    @Test
    void parse_createDBCluster_readsScalarsListsAndTags() {
        QueryRequest request = post("Action=CreateDBCluster&Version=2014-10-31&DBClusterIdentifier=demo"
                + "&Engine=postgres&DBClusterInstanceClass=db.m6gd.large&AllocatedStorage=100&MasterUsername=dbadmin"
                + "&MasterUserPassword=p%40ss%20word%26%3D%2B&AvailabilityZones.AvailabilityZone.1=az-a"
                + "&AvailabilityZones.AvailabilityZone.2=az-b&AvailabilityZones.AvailabilityZone.3=az-c"
                + "&VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1&VpcSecurityGroupIds.VpcSecurityGroupId.2=sg-2"
                + "&Tags.Tag.1.Key=env&Tags.Tag.1.Value=prod&Tags.Tag.2.Key=team&Tags.Tag.2.Value="
                + "&DeletionProtection=true&BackupRetentionPeriod=7");

        assertThat(request.string("DBClusterIdentifier")).isEqualTo("demo");
        assertThat(request.string("MasterUserPassword")).isEqualTo("p@ss word&=+");
        assertThat(request.integer("AllocatedStorage")).isEqualTo(100);
        assertThat(request.bool("DeletionProtection")).isTrue();
        assertThat(request.optionalBool("StorageEncrypted")).isEmpty();
        assertThat(request.optionalInteger("Port")).isEmpty();
        assertThat(request.list("AvailabilityZones", "AvailabilityZone")).containsExactly("az-a", "az-b", "az-c");
        assertThat(request.list("VpcSecurityGroupIds", "VpcSecurityGroupId")).containsExactly("sg-1", "sg-2");
        assertThat(request.tags()).containsExactly(new QueryRequest.Tag("env", "prod"), new QueryRequest.Tag("team", ""));
    }

    @Test
    void parse_subnetGroup_readsSubnetIdentifiers() {
        QueryRequest request = post("Action=CreateDBSubnetGroup&Version=2014-10-31&DBSubnetGroupName=sg"
                + "&DBSubnetGroupDescription=three%20zones&SubnetIds.SubnetIdentifier.1=subnet-a"
                + "&SubnetIds.SubnetIdentifier.2=subnet-b&SubnetIds.SubnetIdentifier.3=subnet-c");

        assertThat(request.string("DBSubnetGroupDescription")).isEqualTo("three zones");
        assertThat(request.list("SubnetIds", "SubnetIdentifier")).containsExactly("subnet-a", "subnet-b", "subnet-c");
    }

    @Test
    void parse_parameterGroupChanges_readsParameterStructures() {
        QueryRequest request = post("Action=ModifyDBClusterParameterGroup&Version=2014-10-31"
                + "&DBClusterParameterGroupName=pg&Parameters.Parameter.1.ParameterName=work_mem"
                + "&Parameters.Parameter.1.ParameterValue=64MB&Parameters.Parameter.1.ApplyMethod=immediate"
                + "&Parameters.Parameter.2.ParameterName=shared_buffers"
                + "&Parameters.Parameter.2.ParameterValue=%7BDBInstanceClassMemory%2F32768%7D"
                + "&Parameters.Parameter.2.ApplyMethod=pending-reboot");

        assertThat(request.structList("Parameters", "Parameter")).containsExactly(
                Map.of("ParameterName", "work_mem", "ParameterValue", "64MB", "ApplyMethod", "immediate"),
                Map.of("ParameterName", "shared_buffers", "ParameterValue", "{DBInstanceClassMemory/32768}",
                        "ApplyMethod", "pending-reboot"));
    }

    @Test
    void parse_listWithoutMemberName_usesMember() {
        QueryRequest request = post("Action=RemoveTagsFromResource&Version=2014-10-31"
                + "&ResourceName=arn%3Aaws%3Ards%3Alocal-1%3A000000000000%3Acluster%3Ademo"
                + "&TagKeys.member.1=env&TagKeys.member.2=team");

        assertThat(request.string("ResourceName")).isEqualTo("arn:aws:rds:local-1:000000000000:cluster:demo");
        assertThat(request.list("TagKeys", "member")).containsExactly("env", "team");
    }

    @Test
    void parse_emptyListAsTheCliSendsIt_isEmpty() {
        QueryRequest request = post("Action=AddTagsToResource&Version=2014-10-31"
                + "&ResourceName=arn%3Aaws%3Ards%3Alocal-1%3A000000000000%3Acluster%3Ademo&Tags=");

        assertThat(request.tags()).isEmpty();
    }

    @Test
    void parse_indicesOutOfOrder_sortedNumerically() {
        QueryRequest request = post("Action=CreateDBCluster&Version=2014-10-31"
                + "&AvailabilityZones.AvailabilityZone.10=az-j&AvailabilityZones.AvailabilityZone.2=az-b"
                + "&AvailabilityZones.AvailabilityZone.1=az-a");

        assertThat(request.list("AvailabilityZones", "AvailabilityZone")).containsExactly("az-a", "az-b", "az-j");
    }

    @Test
    void parse_getWithQueryString_readsQueryAndSkipsSignatureParameters() {
        RawRequest raw = new RawRequest("GET", "/", "Action=DescribeDBClusters&Version=2014-10-31"
                + "&DBClusterIdentifier=demo&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00", Headers.empty(), null);

        QueryRequest request = QueryRequest.parse(raw, ACTIONS);

        assertThat(request.parameters()).containsOnlyKeys("DBClusterIdentifier");
    }

    @Test
    void parse_postWithoutContentType_readsBodyAsForm() {
        RawRequest raw = new RawRequest("POST", "/", "", Headers.empty(),
                "Action=DescribeDBClusters&Version=2014-10-31".getBytes(StandardCharsets.UTF_8));

        assertThat(QueryRequest.parse(raw, ACTIONS).action()).isEqualTo("DescribeDBClusters");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                arguments("missing Action", "Version=2014-10-31", RdsFault.MISSING_ACTION, "Missing Action"),
                arguments("empty Action", "Action=&Version=2014-10-31", RdsFault.MISSING_ACTION, "Missing Action"),
                arguments("missing Version", "Action=DescribeDBClusters", RdsFault.INVALID_ACTION,
                        "Could not find operation DescribeDBClusters for version NO_VERSION_SPECIFIED"),
                arguments("unknown Version", "Action=DescribeDBClusters&Version=2013-09-09", RdsFault.INVALID_ACTION,
                        "Could not find operation DescribeDBClusters for version 2013-09-09"),
                arguments("unknown Action", "Action=DescribeDBClustrs&Version=2014-10-31", RdsFault.INVALID_ACTION,
                        "Could not find operation DescribeDBClustrs for version 2014-10-31"),
                arguments("broken escape", "Action=DescribeDBClusters&Version=2014-10-31&Marker=%zz",
                        RdsFault.MALFORMED_QUERY_STRING, "broken percent escape"),
                arguments("not UTF-8", "Action=DescribeDBClusters&Version=2014-10-31&Marker=%C3%28",
                        RdsFault.MALFORMED_QUERY_STRING, "does not decode to UTF-8"),
                arguments("parameter twice", "Action=DescribeDBClusters&Version=2014-10-31&Marker=a&Marker=b",
                        RdsFault.INVALID_PARAMETER_VALUE, "The parameter Marker is given more than once"),
                arguments("index zero", "Action=CreateDBCluster&Version=2014-10-31&AvailabilityZones.AvailabilityZone.0=a",
                        RdsFault.INVALID_PARAMETER_VALUE, "has the list index 0; lists take members 1 to 100"),
                arguments("not an index", "Action=CreateDBCluster&Version=2014-10-31&AvailabilityZones.AvailabilityZone.a=a",
                        RdsFault.INVALID_PARAMETER_VALUE, "is not a list member"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void parseAndRead_badRequest_failsWithCodeAndStatus(String caseName, String body, RdsFault fault, String message) {
        assertThatThrownBy(() -> {
            QueryRequest request = post(body);
            request.list("AvailabilityZones", "AvailabilityZone");
        })
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.fault()).isEqualTo(fault);
                    assertThat(e.httpStatus()).isEqualTo(fault.httpStatus());
                })
                .hasMessageContaining(message);
    }

    static Stream<Arguments> badParameters() {
        return Stream.of(
                arguments("MaxRecords=abc", "integer", RdsFault.INVALID_PARAMETER_VALUE,
                        "Invalid value 'abc' for parameter MaxRecords: it must be an integer."),
                arguments("MaxRecords=99999999999", "integer", RdsFault.INVALID_PARAMETER_VALUE, "it must be an integer"),
                arguments("DBClusterIdentifier=demo", "integer", RdsFault.MISSING_PARAMETER,
                        "The parameter MaxRecords must be provided and must not be blank."),
                arguments("MaxRecords=", "integer", RdsFault.MISSING_PARAMETER,
                        "The parameter MaxRecords must be provided and must not be blank."),
                arguments("DeletionProtection=yes", "bool", RdsFault.INVALID_PARAMETER_VALUE,
                        "Invalid value 'yes' for parameter DeletionProtection: it must be true or false."),
                arguments("MaxRecords=1", "string", RdsFault.MISSING_PARAMETER,
                        "The parameter DBClusterIdentifier must be provided and must not be blank."),
                arguments("DBClusterIdentifier=%20%20", "string", RdsFault.MISSING_PARAMETER,
                        "The parameter DBClusterIdentifier must be provided and must not be blank."),
                arguments("Filters.Filter.1.Values.Value.1=postgres", "filters", RdsFault.MISSING_PARAMETER,
                        "The parameter Filters.Filter.1.Name must be provided and must not be blank."),
                arguments("Tags.Tag.1.Value=prod", "tags", RdsFault.MISSING_PARAMETER,
                        "The parameter Tags.Tag.1.Key must be provided and must not be blank."));
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("badParameters")
    void accessor_badOrMissingValue_failsWithRdsMessage(String params, String accessor, RdsFault fault, String message) {
        QueryRequest request = post("Action=DescribeDBClusters&Version=2014-10-31&" + params);

        assertThatThrownBy(() -> {
            switch (accessor) {
                case "integer" -> request.integer("MaxRecords");
                case "bool" -> request.bool("DeletionProtection");
                case "string" -> request.string("DBClusterIdentifier");
                case "filters" -> request.filters();
                case "tags" -> request.tags();
                default -> throw new IllegalArgumentException(accessor);
            }
        })
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.fault()).isEqualTo(fault);
                    assertThat(e.httpStatus()).isEqualTo(400);
                })
                .hasMessageContaining(message);
    }

    static Stream<Arguments> beyondLimits() {
        String ok = "Action=DescribeDBClusters&Version=2014-10-31";
        return Stream.of(
                arguments("newline in a value", ok + "&DBClusterIdentifier=a%0Ab", "DBClusterIdentifier contains U+000A"),
                arguments("carriage return", ok + "&Marker=a%0D", "Marker contains U+000D (a line break) at position 2"),
                arguments("NUL", ok + "&Marker=%00", "contains U+0000 (NUL)"),
                arguments("tab", ok + "&Marker=a%09b", "contains U+0009"),
                arguments("C1 control", ok + "&Marker=%C2%85", "contains U+0085"),
                arguments("noncharacter", ok + "&Marker=%EF%BF%BE", "contains U+FFFE"),
                arguments("value too long", ok + "&Marker=" + "m".repeat(4097), "has 4097 characters; at most 4096"),
                arguments("name with a space", ok + "&DB%20ClusterIdentifier=x", "parameter name 'DB ClusterIdentifier'"),
                arguments("name too long", ok + "&" + "N".repeat(257) + "=x", "names are 1-256"),
                arguments("list index 101", ok + "&Filters.Filter.101.Name=engine", "list index 101"),
                arguments("list index with a leading zero", ok + "&Filters.Filter.01.Name=engine", "list index 01"),
                arguments("list index past int", ok + "&Filters.Filter.99999999999.Name=engine", "list index 99999999999"),
                arguments("1001 parameters", ok + "&Tags.Tag.1.Key=k".repeat(999), "has 1001 parameters; at most 1000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beyondLimits")
    void parse_beyondTheLimits_invalidParameterValueSaysWhich(String caseName, String body, String message) {
        // issue 21: every value is checked for what the layers below can take, before any handler runs
        assertThatThrownBy(() -> post(body))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.fault()).isEqualTo(RdsFault.INVALID_PARAMETER_VALUE);
                    assertThat(e.httpStatus()).isEqualTo(400);
                })
                .hasMessageContaining(message);
    }

    @Test
    void parse_withinTheLimits_unicodeAndLongestValuesPass() {
        String body = "Action=CreateDBCluster&Version=2014-10-31&Tags.Tag.100.Key=%C3%A9%E4%B8%AD%F0%9F%98%80"
                + "&Tags.Tag.100.Value=" + "v".repeat(4096) + "&MasterUserPassword=p%40ss%20word%26%3D%2B";

        QueryRequest request = post(body);

        assertThat(request.tags()).singleElement().satisfies(t -> {
            assertThat(t.key()).isEqualTo("\u00e9\u4e2d\uD83D\uDE00");
            assertThat(t.value()).hasSize(4096);
        });
    }

    @Test
    void parse_unknownActionWithBadValues_invalidActionFirst() {
        assertThatThrownBy(() -> post("Action=StopDBCluster&Version=2014-10-31&Marker=%00"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.fault()).isEqualTo(RdsFault.INVALID_ACTION));
    }

    @Test
    void parse_jsonBody_refusedWithHowToSendIt() {
        RawRequest raw = new RawRequest("POST", "/", "", Headers.builder().add("Content-Type", "application/json").build(),
                "{\"Action\":\"DescribeDBClusters\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> QueryRequest.parse(raw, ACTIONS))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"))
                .hasMessageContaining("application/x-www-form-urlencoded");
    }

    private static QueryRequest post(String body) {
        RawRequest raw = new RawRequest("POST", "/", "", Headers.builder()
                .add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build(),
                body.getBytes(StandardCharsets.UTF_8));
        return QueryRequest.parse(raw, ACTIONS);
    }
}
