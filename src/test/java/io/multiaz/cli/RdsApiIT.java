package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.config.Layout;
import io.multiaz.config.LayoutFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.SourceType;
import software.amazon.awssdk.services.rds.model.Tag;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RDS API of a running local deployment driven by real clients: the AWS SDK for Java v2 RDS
 * client and the Debian AWS CLI v2 ({@code /usr/bin/aws}), both with the profile {@code up} wrote;
 * bad requests signed with the SDK's own signer. Ports 28300-28329.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class RdsApiIT {
    private static Path stateDir;
    private static Layout layout;
    private static String apiUrl;
    private static RdsClient rds;

    @BeforeAll
    static void up() throws Exception {
        stateDir = Cli.stateDir("state");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "28300", "--timeout", "240s");
        assertThat(r.exit()).as("up: %s", r.err()).isZero();
        assertThat(r.out()).contains("aws --profile multiaz --endpoint-url http://127.0.0.1:28306 rds describe-db-clusters");
        layout = LayoutFile.read(stateDir.resolve("multiaz.yaml"));
        JsonNode api = Cli.status(stateDir).get("api");
        apiUrl = api.get("url").asText();
        assertThat(apiUrl).isEqualTo("http://127.0.0.1:28306");
        assertThat(api.get("region").asText()).isEqualTo("local-1");
        assertThat(api.get("profile").asText()).isEqualTo("multiaz");
        rds = AwsClients.sdk(api);
    }

    @AfterAll
    static void destroy() {
        if (rds != null) {
            rds.close();
        }
        if (stateDir != null) {
            assertThat(Cli.run("destroy", "--state-dir", stateDir.toString()).exit()).isZero();
        }
    }

    private static DBCluster cluster() {
        return rds.describeDBClusters(b -> b.dbClusterIdentifier("demo")).dbClusters().get(0);
    }

    private static String writer(DBCluster c) {
        return c.dbClusterMembers().stream().filter(DBClusterMember::isClusterWriter).map(DBClusterMember::dbInstanceIdentifier)
                .findFirst().orElse(null);
    }

    @Test
    @Order(1)
    void badRequests_eachRefusedWithItsCode_writerStays() throws Exception {
        String before = writer(cluster());
        var good = AwsCredentialsIdentity.create(layout.api().accessKeyId(), layout.api().secretAccessKey());
        var wrongSecret = AwsCredentialsIdentity.create(layout.api().accessKeyId(), "x" + layout.api().secretAccessKey());
        var unknownKey = AwsCredentialsIdentity.create("AKIAUNKNOWNUNKNOWN22", layout.api().secretAccessKey());
        Instant now = Instant.now();
        record Bad(String name, String body, AwsCredentialsIdentity who, Instant at, int status, String code) {
        }
        String describe = "Action=DescribeDBClusters&Version=2014-10-31";
        String failover = "Action=FailoverDBCluster&Version=2014-10-31&DBClusterIdentifier=demo"
                + "&TargetDBInstanceIdentifier=";
        List<Bad> table = List.of(
                new Bad("bad signature", failover + "demo-2", wrongSecret, now, 403, "SignatureDoesNotMatch"),
                new Bad("unknown key", failover + "demo-2", unknownKey, now, 403, "InvalidClientTokenId"),
                new Bad("expired", failover + "demo-2", good, now.minus(Duration.ofMinutes(20)), 400, "RequestExpired"),
                new Bad("unknown action", "Action=StopDBCluster&Version=2014-10-31&DBClusterIdentifier=demo", good, now,
                        400, "InvalidAction"),
                new Bad("delete without a final snapshot choice", "Action=DeleteDBCluster&Version=2014-10-31"
                        + "&DBClusterIdentifier=demo", good, now, 400, "InvalidParameterCombination"),
                new Bad("create without Engine", "Action=CreateDBCluster&Version=2014-10-31&DBClusterIdentifier=x"
                        + "&MasterUsername=u1&MasterUserPassword=password-1", good, now, 400, "MissingParameter"),
                new Bad("create with an unknown class", "Action=CreateDBCluster&Version=2014-10-31"
                        + "&DBClusterIdentifier=x&Engine=postgres&MasterUsername=u1&MasterUserPassword=password-1"
                        + "&DBClusterInstanceClass=db.z9.huge", good, now, 400, "InvalidParameterValue"),
                new Bad("create an existing cluster", "Action=CreateDBCluster&Version=2014-10-31"
                        + "&DBClusterIdentifier=demo&Engine=postgres&MasterUsername=u1&MasterUserPassword=password-1",
                        good, now, 400, "DBClusterAlreadyExistsFault"),
                new Bad("delete one instance of a Multi-AZ DB cluster", "Action=DeleteDBInstance&Version=2014-10-31"
                        + "&DBInstanceIdentifier=demo-2", good, now, 400, "InvalidDBClusterStateFault"),
                new Bad("reboot an unknown instance", "Action=RebootDBInstance&Version=2014-10-31"
                        + "&DBInstanceIdentifier=nope", good, now, 404, "DBInstanceNotFound"),
                new Bad("unknown cluster", describe + "&DBClusterIdentifier=nope", good, now, 404, "DBClusterNotFoundFault"),
                new Bad("failover to a non-member", failover + "stranger", good, now, 400, "InvalidParameterValue"),
                new Bad("MaxRecords too small", describe + "&MaxRecords=5", good, now, 400, "InvalidParameterValue"));
        for (Bad bad : table) {
            HttpResponse<String> r = post(bad.body(), bad.who(), bad.at());
            assertThat(r.statusCode()).as("%s: %s", bad.name(), r.body()).isEqualTo(bad.status());
            assertThat(r.body()).as(bad.name()).contains("<Code>" + bad.code() + "</Code>", "<RequestId>");
            assertThat(r.headers().firstValue("x-amzn-RequestId")).as(bad.name()).isPresent();
        }
        DBCluster after = cluster();
        assertThat(writer(after)).isEqualTo(before);
        assertThat(after.status()).isEqualTo("available");
        assertThat(rds.describeDBClusters().dbClusters()).extracting(DBCluster::dbClusterIdentifier)
                .containsExactly("demo");
    }

    @Test
    @Order(2)
    void describeDBClusters_sdk_everyFieldAndTheEndpointTakesWrites() throws Exception {
        DBCluster c = cluster();
        assertThat(c.dbClusterIdentifier()).isEqualTo("demo");
        assertThat(c.dbClusterArn()).isEqualTo("arn:aws:rds:local-1:000000000000:cluster:demo");
        assertThat(c.status()).isEqualTo("available");
        assertThat(c.multiAZ()).isTrue();
        assertThat(c.engine()).isEqualTo("postgres");
        assertThat(c.engineVersion()).matches("1[5-9]\\.\\d+");
        assertThat(c.endpoint()).matches("127\\.77\\.\\d+\\.1");
        assertThat(c.readerEndpoint()).matches("127\\.77\\.\\d+\\.2");
        assertThat(c.port()).isEqualTo(layout.endpoints().port());
        assertThat(c.masterUsername()).isEqualTo("dbadmin");
        assertThat(c.databaseName()).isEqualTo("postgres");
        assertThat(c.availabilityZones()).containsExactly("az-a", "az-b", "az-c");
        assertThat(c.dbClusterMembers()).extracting(DBClusterMember::dbInstanceIdentifier)
                .containsExactlyInAnyOrder("demo-1", "demo-2", "demo-3");
        assertThat(c.dbClusterMembers()).filteredOn(DBClusterMember::isClusterWriter).hasSize(1);
        assertThat(c.dbClusterMembers()).allSatisfy(m -> {
            assertThat(m.dbClusterParameterGroupStatus()).isEqualTo("in-sync");
            assertThat(m.promotionTier()).isEqualTo(1);
        });
        assertThat(c.backupRetentionPeriod()).isEqualTo(1);
        assertThat(c.preferredBackupWindow()).isEqualTo("03:00-03:30");
        assertThat(c.preferredMaintenanceWindow()).isEqualTo("sun:05:00-sun:05:30");
        assertThat(c.storageEncrypted()).isFalse();
        assertThat(c.deletionProtection()).isFalse();
        assertThat(c.tagList()).isEmpty();
        assertThat(c.dbClusterInstanceClass()).isEqualTo("db.t3.micro");
        assertThat(c.storageType()).isEqualTo("gp3");
        assertThat(c.clusterCreateTime()).isBefore(Instant.now()).isAfter(Instant.now().minus(Duration.ofHours(1)));

        List<DBInstance> instances = rds.describeDBInstances().dbInstances();
        assertThat(instances).hasSize(3).allSatisfy(i -> {
            assertThat(i.dbInstanceStatus()).isEqualTo("available");
            assertThat(i.dbClusterIdentifier()).isEqualTo("demo");
            assertThat(i.endpoint().port()).isEqualTo(layout.endpoints().port());
            assertThat(i.multiAZ()).isFalse();
            assertThat(i.dbInstanceArn()).startsWith("arn:aws:rds:local-1:000000000000:db:demo-");
        });
        assertThat(instances).extracting(DBInstance::availabilityZone).containsExactlyInAnyOrder("az-a", "az-b", "az-c");
        assertThat(rds.describeDBEngineVersions(b -> b.engine("postgres")).dbEngineVersions())
                .singleElement().satisfies(v -> {
                    assertThat(v.engineVersion()).isEqualTo(c.engineVersion());
                    assertThat(v.dbParameterGroupFamily()).isEqualTo("postgres" + c.engineVersion().split("\\.")[0]);
                });

        String url = "jdbc:postgresql://" + c.endpoint() + ":" + c.port() + "/" + c.databaseName() + "?connectTimeout=5";
        try (Connection conn = DriverManager.getConnection(url, c.masterUsername(),
                layout.demo().credentials().masterPassword())) {
            conn.createStatement().execute("CREATE TABLE IF NOT EXISTS rds_api_it (v text)");
            conn.createStatement().execute("INSERT INTO rds_api_it VALUES ('through the RDS endpoint')");
            ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM rds_api_it");
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
        }
    }

    @Test
    @Order(3)
    void describeDBClusters_awsCliV2_parsesAsJson() throws Exception {
        JsonNode api = Cli.status(stateDir).get("api");
        JsonNode c = AwsClients.cli(api, "describe-db-clusters").ok().get("DBClusters").get(0);
        assertThat(c.get("DBClusterIdentifier").asText()).isEqualTo("demo");
        assertThat(c.get("Status").asText()).isEqualTo("available");
        assertThat(c.get("MultiAZ").asBoolean()).isTrue();
        assertThat(c.get("Endpoint").asText()).matches("127\\.77\\.\\d+\\.1");
        assertThat(c.get("Port").asInt()).isEqualTo(layout.endpoints().port());
        assertThat(c.get("DBClusterMembers")).hasSize(3);
    }

    @Test
    @Order(4)
    void failoverDBCluster_toAReader_writerMoves() {
        DBCluster c = cluster();
        String old = writer(c);
        String target = c.dbClusterMembers().stream().map(DBClusterMember::dbInstanceIdentifier)
                .filter(n -> !n.equals(old)).findFirst().orElseThrow();
        DBCluster answered = rds.failoverDBCluster(b -> b.dbClusterIdentifier("demo").targetDBInstanceIdentifier(target))
                .dbCluster();
        assertThat(answered.status()).isEqualTo("failing-over");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            DBCluster now = cluster();
            return target.equals(writer(now)) && now.status().equals("available");
        });
    }

    @Test
    @Order(5)
    void describeEvents_sdk_theFailoverIsThereAndPages() {
        List<Event> events = rds.describeEvents(b -> b.duration(60)).events();
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.date()).isAfter(Instant.now().minus(Duration.ofMinutes(61)));
            assertThat(e.sourceArn()).startsWith("arn:aws:rds:local-1:000000000000:");
        });
        assertThat(events).filteredOn(e -> e.sourceType() == SourceType.DB_CLUSTER)
                .anySatisfy(e -> assertThat(e.eventCategories()).containsExactly("failover"));
        assertThat(events).anySatisfy(e -> assertThat(e.sourceType()).isEqualTo(SourceType.DB_INSTANCE));
        List<Event> paged = rds.describeEventsPaginator(b -> b.duration(60).maxRecords(20)).events().stream().toList();
        assertThat(paged).hasSizeGreaterThanOrEqualTo(events.size());
    }

    @Test
    @Order(6)
    void tags_sdk_addListRemoveAndShownInDescribe() {
        String clusterArn = "arn:aws:rds:local-1:000000000000:cluster:demo";
        String instanceArn = "arn:aws:rds:local-1:000000000000:db:demo-1";
        rds.addTagsToResource(b -> b.resourceName(clusterArn).tags(Tag.builder().key("env").value("it").build(),
                Tag.builder().key("team").value("db").build()));
        rds.addTagsToResource(b -> b.resourceName(instanceArn).tags(Tag.builder().key("role").value("x").build()));
        rds.removeTagsFromResource(b -> b.resourceName(clusterArn).tagKeys("team"));

        assertThat(rds.listTagsForResource(b -> b.resourceName(clusterArn)).tagList())
                .containsExactly(Tag.builder().key("env").value("it").build());
        assertThat(cluster().tagList()).containsExactly(Tag.builder().key("env").value("it").build());
        assertThat(rds.describeDBInstances(b -> b.dbInstanceIdentifier("demo-1")).dbInstances().get(0).tagList())
                .containsExactly(Tag.builder().key("role").value("x").build());
    }

    @Test
    @Order(7)
    void subnetGroups_sdk_createDescribeDelete() {
        DBSubnetGroup created = rds.createDBSubnetGroup(b -> b.dbSubnetGroupName("It-Group")
                .dbSubnetGroupDescription("for the IT").subnetIds("subnet-1", "subnet-2", "subnet-3")).dbSubnetGroup();
        assertThat(created.dbSubnetGroupName()).isEqualTo("it-group");
        assertThat(created.subnets()).extracting(s -> s.subnetAvailabilityZone().name())
                .containsExactly("az-a", "az-b", "az-c");
        assertThat(rds.describeDBSubnetGroups(b -> b.dbSubnetGroupName("it-group")).dbSubnetGroups())
                .singleElement().satisfies(g -> assertThat(g.dbSubnetGroupDescription()).isEqualTo("for the IT"));

        rds.deleteDBSubnetGroup(b -> b.dbSubnetGroupName("it-group"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rds.describeDBSubnetGroups(b -> b.dbSubnetGroupName("it-group")))
                .isInstanceOfSatisfying(DbSubnetGroupNotFoundException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    @Order(8)
    void clusterParameterGroups_sdk_createModifyDescribeResetDelete() {
        var created = rds.createDBClusterParameterGroup(b -> b.dbClusterParameterGroupName("It-Params")
                .dbParameterGroupFamily("postgres15").description("for the IT")).dbClusterParameterGroup();
        assertThat(created.dbClusterParameterGroupName()).isEqualTo("it-params");

        rds.modifyDBClusterParameterGroup(b -> b.dbClusterParameterGroupName("it-params").parameters(
                software.amazon.awssdk.services.rds.model.Parameter.builder().parameterName("work_mem")
                        .parameterValue("8192").applyMethod("immediate").build(),
                software.amazon.awssdk.services.rds.model.Parameter.builder().parameterName("max_connections")
                        .parameterValue("200").applyMethod("pending-reboot").build()));
        var user = rds.describeDBClusterParameters(b -> b.dbClusterParameterGroupName("it-params").source("user"))
                .parameters();
        assertThat(user).extracting(p -> p.parameterName() + "=" + p.parameterValue() + " " + p.applyType() + " "
                + p.applyMethodAsString()).containsExactly("max_connections=200 static pending-reboot",
                "work_mem=8192 dynamic immediate");
        // the installed PostgreSQL's own check (finding F7 of the fuzzer): refused before anything is stored
        for (String[] bad : new String[][] {{"DateStyle", "on"}, {"log_min_duration_statement", "4MB"},
                {"TimeZone", "Mars/Base"}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rds.modifyDBClusterParameterGroup(b -> b
                            .dbClusterParameterGroupName("it-params").parameters(software.amazon.awssdk.services.rds
                                    .model.Parameter.builder().parameterName(bad[0]).parameterValue(bad[1])
                                    .applyMethod("immediate").build())))
                    .as("%s = %s", bad[0], bad[1])
                    .isInstanceOfSatisfying(software.amazon.awssdk.services.rds.model.RdsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("PostgreSQL refuses value " + bad[1],
                                "invalid value for parameter");
                    });
        }
        assertThat(rds.describeDBClusterParameters(b -> b.dbClusterParameterGroupName("it-params").source("user"))
                .parameters()).hasSize(2);
        assertThat(rds.describeDBClusterParameters(b -> b.dbClusterParameterGroupName("it-params").source("system"))
                .parameters()).anySatisfy(p -> {
                    assertThat(p.parameterName()).isEqualTo("wal_level");
                    assertThat(p.allowedValues()).isEqualTo("minimal,replica,logical");
                    assertThat(p.isModifiable()).isFalse();
                });
        assertThat(rds.describeDBClusterParameterGroups().dbClusterParameterGroups())
                .extracting(g -> g.dbClusterParameterGroupName()).containsExactly("default.postgres15", "it-params");

        rds.resetDBClusterParameterGroup(b -> b.dbClusterParameterGroupName("it-params").resetAllParameters(true));
        assertThat(rds.describeDBClusterParameters(b -> b.dbClusterParameterGroupName("it-params").source("user"))
                .parameters()).isEmpty();
        rds.deleteDBClusterParameterGroup(b -> b.dbClusterParameterGroupName("it-params"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rds.describeDBClusterParameterGroups(
                        b -> b.dbClusterParameterGroupName("it-params")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    /** POSTs {@code body} signed by {@code who} at {@code at} with the SDK's SigV4 signer. */
    private static HttpResponse<String> post(String body, AwsCredentialsIdentity who, Instant at) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(apiUrl + "/");
        SdkHttpRequest http = SdkHttpRequest.builder().protocol("http").host(uri.getHost()).port(uri.getPort())
                .encodedPath("/").method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(who).request(http)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rds")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "local-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Set<String> restricted = Set.of("host", "content-length");
        signed.headers().forEach((name, values) -> {
            if (!restricted.contains(name.toLowerCase())) {
                values.forEach(v -> req.header(name, v));
            }
        });
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(req.build(), HttpResponse.BodyHandlers.ofString());
    }
}
