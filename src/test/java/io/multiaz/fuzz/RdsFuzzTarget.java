package io.multiaz.fuzz;

import io.multiaz.api.RdsActions;
import io.multiaz.fuzz.FuzzRequest.Param;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RDS API as a {@link FuzzTarget}: the model the AWS CLI ships ({@code rds/2014-10-31}), the
 * actions multiaz serves ({@link RdsActions#SUPPORTED}), the common errors and the pools, plus the
 * fixtures the pools name ({@link #prepare}).
 *
 * <p>Common errors (what any action may answer besides its own): AWS's common errors for Query APIs
 * a valid, signed call can meet — {@code InvalidParameterValue}, {@code InvalidParameterCombination},
 * {@code MissingParameter}, {@code InvalidAction}, {@code MissingAction},
 * {@code MalformedQueryString} — and multiaz's request limits: {@code RequestEntityTooLarge} (413),
 * {@code RequestURITooLong} (414), {@code RequestHeaderFieldsTooLarge} (431), {@code InvalidRequest}.
 * Left out on purpose, so that they count as violations: the signature errors (every call is signed
 * validly), {@code InternalFailure} and {@code ServiceUnavailable} (5xx).
 *
 * <p>What survives the run: the pools never give an action a resource on which its success would
 * start, stop or fail over a server, or destroy the deployment's demo cluster: DeleteDBCluster,
 * FailoverDBCluster, RebootDBInstance and CreateDBInstance only ever name the fuzzer's own clusters
 * (created without instances) or missing ones, and CreateDBCluster never a valid
 * {@code DBClusterInstanceClass}. Their success paths with servers are RdsApiIT's and
 * RdsLifecycleIT's. The demo cluster uses the fuzzer's parameter group, so every parameter value the
 * API accepts is applied to running servers.
 */
public final class RdsFuzzTarget {
    public static final Set<String> COMMON_ERRORS = Set.of("InvalidParameterValue", "InvalidParameterCombination",
            "MissingParameter", "InvalidAction", "MissingAction", "MalformedQueryString", "RequestEntityTooLarge",
            "RequestURITooLong", "RequestHeaderFieldsTooLarge", "InvalidRequest");
    private static final List<String> NEW_CLUSTERS = List.of("fz-new-1", "fz-new-2", "fz-new-3", "fz-new-4");
    private static final Pattern FAMILY = Pattern.compile("<DBParameterGroupFamily>([^<]+)<");
    private static final Pattern VERSION = Pattern.compile("<EngineVersion>([^<]+)<");

    private RdsFuzzTarget() {
    }

    /** What the fixtures found out about the deployment: the installed server's family and version. */
    public record Fixtures(String family, String engineVersion) {
    }

    /** The target at {@code endpoint}, its pools naming the fixtures {@link #prepare} made. */
    public static FuzzTarget of(URI endpoint, String region, AwsCredentialsIdentity credentials, Fixtures fixtures)
            throws IOException {
        return new FuzzTarget("rds", ServiceModel.awsCli("rds", "2014-10-31"), RdsActions.SUPPORTED, COMMON_ERRORS,
                hints(region, fixtures), endpoint, region, credentials);
    }

    /**
     * Makes what the pools name, through the API itself: the parameter group {@code fz-params}
     * (which the demo cluster then uses), the subnet group {@code fz-subnets}, the cluster
     * {@code fz-aurora} without instances, and a tag on the demo cluster. Idempotent.
     */
    public static Fixtures prepare(SignedSender sender, String region) throws InterruptedException {
        String versions = call(sender, "DescribeDBEngineVersions", "Engine", "postgres");
        Fixtures fixtures = new Fixtures(first(FAMILY, versions), first(VERSION, versions));
        call(sender, "CreateDBClusterParameterGroup", "DBClusterParameterGroupName", "fz-params",
                "DBParameterGroupFamily", fixtures.family(), "Description", "fuzz");
        call(sender, "ModifyDBClusterParameterGroup", "DBClusterParameterGroupName", "fz-params",
                "Parameters.Parameter.1.ParameterName", "work_mem", "Parameters.Parameter.1.ParameterValue", "4MB",
                "Parameters.Parameter.1.ApplyMethod", "immediate");
        call(sender, "CreateDBSubnetGroup", "DBSubnetGroupName", "fz-subnets", "DBSubnetGroupDescription", "fuzz",
                "SubnetIds.SubnetIdentifier.1", "subnet-a", "SubnetIds.SubnetIdentifier.2", "subnet-b",
                "SubnetIds.SubnetIdentifier.3", "subnet-c");
        call(sender, "CreateDBCluster", "DBClusterIdentifier", "fz-aurora", "Engine", "postgres",
                "MasterUsername", "fzadmin", "MasterUserPassword", "fz-secret-1");
        call(sender, "ModifyDBCluster", "DBClusterIdentifier", "demo", "DBClusterParameterGroupName", "fz-params",
                "ApplyImmediately", "true");
        call(sender, "AddTagsToResource", "ResourceName", "arn:aws:rds:" + region + ":000000000000:cluster:demo",
                "Tags.Tag.1.Key", "fz-k1", "Tags.Tag.1.Value", "v1");
        return fixtures;
    }

    /** The pools, naming the fixtures. */
    public static Hints hints(String region, Fixtures f) {
        String arn = "arn:aws:rds:" + region + ":000000000000:";
        String major = f.engineVersion().split("\\.")[0];
        Map<String, List<String>> byKey = Map.ofEntries(
                Map.entry("DBClusterIdentifier", List.of("demo", "fz-aurora", "fz-new-1", "fz-gone")),
                Map.entry("DBInstanceIdentifier", List.of("demo-1", "demo-2", "fz-gone-1")),
                Map.entry("TargetDBInstanceIdentifier", List.of("demo-1", "demo-2", "demo-3", "fz-gone-1")),
                Map.entry("DBSubnetGroupName", List.of("fz-subnets", "fz-sn-1", "fz-gone")),
                Map.entry("DBClusterParameterGroupName", List.of("fz-params", "default." + f.family(), "fz-pg-1", "fz-gone")),
                Map.entry("DBParameterGroupFamily", List.of(f.family())),
                Map.entry("Engine", List.of("postgres")),
                Map.entry("EngineVersion", List.of(major, f.engineVersion())),
                Map.entry("MasterUsername", List.of("fzadmin")),
                Map.entry("MasterUserPassword", List.of("fz-secret-1")),
                Map.entry("DatabaseName", List.of("fzdb")),
                Map.entry("DBInstanceClass", List.of("db.t3.micro")),
                Map.entry("AvailabilityZones", List.of("az-a", "az-b", "az-c")),
                Map.entry("AvailabilityZone", List.of("az-a", "az-b", "az-c")),
                Map.entry("BackupRetentionPeriod", List.of("1", "7")),
                Map.entry("PreferredBackupWindow", List.of("03:00-03:30")),
                Map.entry("PreferredMaintenanceWindow", List.of("sun:05:00-sun:05:30")),
                Map.entry("DeletionProtection", List.of("false")),
                Map.entry("SkipFinalSnapshot", List.of("true")),
                Map.entry("FinalDBSnapshotIdentifier", List.of("fz-snap-1")),
                Map.entry("DBClusterSnapshotIdentifier", List.of("fz-snap-1", "fz-gone")),
                Map.entry("SnapshotType", List.of("manual")),
                Map.entry("ResourceName", List.of(arn + "cluster:demo", arn + "cluster:fz-aurora", arn + "db:demo-1",
                        arn + "cluster:fz-new-1")),
                Map.entry("Tag.Key", List.of("fz-k1", "fz-k2")),
                Map.entry("Tag.Value", List.of("v1", "")),
                Map.entry("TagKeys", List.of("fz-k1", "fz-k2")),
                Map.entry("SubnetIds", List.of("subnet-a", "subnet-b", "subnet-c")),
                Map.entry("Description", List.of("fuzz")),
                Map.entry("DBSubnetGroupDescription", List.of("fuzz")),
                Map.entry("Parameter.ParameterName", List.of("work_mem", "log_line_prefix", "search_path",
                        "log_min_duration_statement", "enable_seqscan", "random_page_cost", "max_connections", "TimeZone",
                        "DateStyle")),
                Map.entry("Parameter.ParameterValue", List.of("4MB", "%m [%p] ", "1000", "on", "200", "-1", "UTC",
                        "ISO, MDY")),
                Map.entry("Parameter.ApplyMethod", List.of("immediate", "pending-reboot")),
                Map.entry("ResetAllParameters", List.of("true", "false")),
                Map.entry("SourceType", List.of("db-cluster", "db-instance")),
                Map.entry("SourceIdentifier", List.of("demo", "demo-1")),
                Map.entry("Duration", List.of("60", "1440")),
                Map.entry("MaxRecords", List.of("20", "100")),
                Map.entry("Marker", List.of("20")),
                Map.entry("Filter.Name", List.of("db-cluster-id", "engine", "db-instance-id")),
                Map.entry("Filter.Values", List.of("demo", "postgres", "demo-1")),
                Map.entry("EventCategories", List.of("failover", "notification")),
                Map.entry("Source", List.of("user", "engine-default", "system")),
                Map.entry("ApplyImmediately", List.of("true")),
                Map.entry("ForceFailover", List.of("false")),
                Map.entry("StorageEncrypted", List.of("false")));
        List<String> newClusters = new ArrayList<>(NEW_CLUSTERS);
        newClusters.addAll(List.of("demo", "fz-aurora"));
        List<String> deletable = new ArrayList<>(NEW_CLUSTERS);
        deletable.add("fz-gone");
        Map<String, List<String>> byAction = Map.ofEntries(
                Map.entry("CreateDBCluster.DBClusterIdentifier", newClusters),
                Map.entry("CreateDBCluster.DBClusterInstanceClass", List.of("db.fz.none")),
                Map.entry("DeleteDBCluster.DBClusterIdentifier", deletable),
                Map.entry("ModifyDBCluster.DBClusterIdentifier", List.of("demo", "fz-aurora", "fz-new-1", "fz-gone")),
                Map.entry("ModifyDBCluster.DBClusterParameterGroupName", List.of("fz-params")),
                Map.entry("ModifyDBClusterParameterGroup.DBClusterParameterGroupName", List.of("fz-params", "fz-params",
                        "fz-params", "default." + f.family(), "fz-pg-1", "fz-gone")),
                Map.entry("ResetDBClusterParameterGroup.DBClusterParameterGroupName", List.of("fz-params", "fz-params",
                        "default." + f.family(), "fz-pg-1", "fz-gone")),
                Map.entry("DescribeEvents.Marker", List.of("1@1700000000000", "20")),
                Map.entry("ModifyDBCluster.DBClusterInstanceClass", List.of("db.t3.micro", "db.fz.none")),
                Map.entry("FailoverDBCluster.DBClusterIdentifier", List.of("fz-aurora", "fz-new-1", "fz-gone")),
                Map.entry("RebootDBInstance.DBInstanceIdentifier", List.of("fz-gone-1", "fz-inst-1")),
                Map.entry("CreateDBInstance.DBClusterIdentifier", List.of("demo", "fz-gone")),
                Map.entry("DeleteDBInstance.DBInstanceIdentifier", List.of("demo-1", "demo-2", "demo-3", "fz-gone-1")),
                Map.entry("CreateDBClusterParameterGroup.DBClusterParameterGroupName", List.of("fz-pg-1", "fz-pg-2",
                        "fz-params")),
                Map.entry("DeleteDBClusterParameterGroup.DBClusterParameterGroupName", List.of("fz-pg-1", "fz-pg-2",
                        "fz-params", "default." + f.family(), "fz-gone")),
                Map.entry("CreateDBSubnetGroup.DBSubnetGroupName", List.of("fz-sn-1", "fz-sn-2", "fz-subnets")),
                Map.entry("DeleteDBSubnetGroup.DBSubnetGroupName", List.of("fz-sn-1", "fz-sn-2", "fz-gone")));
        return new Hints(byKey, byAction, 0.1, Set.of("Parameter.ParameterName", "Parameter.ParameterValue"));
    }

    private static String call(SignedSender sender, String action, String... nameValues) throws InterruptedException {
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.add(new Param(nameValues[i], nameValues[i + 1], null));
        }
        SignedSender.Answer answer = sender.send(new FuzzRequest(action, "2014-10-31", params, "", false, List.of()));
        boolean exists = answer.code().map(c -> c.endsWith("AlreadyExists") || c.endsWith("AlreadyExistsFault"))
                .orElse(false);
        if (answer.status() != 200 && !exists) {
            throw new IllegalStateException("fuzz fixture " + action + " failed: " + answer.status() + " "
                    + answer.body() + (answer.failure() == null ? "" : answer.failure()));
        }
        return answer.body();
    }

    private static String first(Pattern pattern, String xml) {
        Matcher m = pattern.matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("DescribeDBEngineVersions named no " + pattern + ": " + xml);
        }
        return m.group(1);
    }
}
