package io.multiaz.api;

import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.multiaz.api.FixedBackend.CREATED;
import static io.multiaz.api.FixedBackend.NOW;
import static io.multiaz.api.FixedBackend.description;
import static io.multiaz.api.FixedBackend.healthy;
import static io.multiaz.api.FixedBackend.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RDS answers built from real cluster records: fields, status mapping, failover, events and refusals. */
final class RdsActionsTest {
    private final FixedBackend backend = new FixedBackend();
    private final RdsActions actions = backend.actions();

    private String call(String action, String... params) {
        return FixedBackend.call(actions, action, params);
    }

    @Test
    void clusterActions_identifierThatIsNoStoreName_invalidParameterValueNotInternalFailure() {
        // regression, issue 21 (found by the fuzzer): these reached the store, failed there as a path
        // and were answered InternalFailure 500 or ServiceUnavailable 503
        String arn = "arn:aws:rds:local-1:000000000000:cluster:";
        List<String> ids = List.of(".", "..", "/", "a/b", arn + "a/b", arn + "../demo", "\uFFFD", "demo\uDB40\uDC01",
                "\uE000", "arn:aws:rds:local-1:12:subgrp:<x/>", "demo--1", "1demo");
        for (String id : ids) {
            List<String[]> calls = List.of(
                    new String[]{"DescribeDBClusters", "DBClusterIdentifier", id},
                    new String[]{"ModifyDBCluster", "DBClusterIdentifier", id, "BackupRetentionPeriod", "7"},
                    new String[]{"DeleteDBCluster", "DBClusterIdentifier", id, "SkipFinalSnapshot", "true"},
                    new String[]{"FailoverDBCluster", "DBClusterIdentifier", id},
                    new String[]{"CreateDBInstance", "DBInstanceIdentifier", "w1", "DBInstanceClass", "db.t3.micro",
                            "Engine", "postgres", "DBClusterIdentifier", id},
                    new String[]{"AddTagsToResource", "ResourceName", arn + id, "Tags.Tag.1.Key", "k"});
            for (String[] c : calls) {
                assertThatThrownBy(() -> call(c[0], java.util.Arrays.copyOfRange(c, 1, c.length))).as("%s %s", c[0], id)
                        .isInstanceOfSatisfying(ApiException.class,
                                e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
            }
        }
    }

    @Test
    void describeDBClusters_demo_writesEveryField() {
        String xml = call("DescribeDBClusters");
        assertThat(xml).contains("<DescribeDBClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">",
                "<DBClusters><DBCluster>", "<DBClusterIdentifier>demo</DBClusterIdentifier>",
                "<DBClusterArn>arn:aws:rds:local-1:000000000000:cluster:demo</DBClusterArn>",
                "<Status>available</Status>", "<MultiAZ>true</MultiAZ>", "<Engine>postgres</Engine>",
                "<EngineVersion>15.14</EngineVersion>", "<Endpoint>127.77.1.1</Endpoint>",
                "<ReaderEndpoint>127.77.1.2</ReaderEndpoint>", "<Port>5432</Port>",
                "<MasterUsername>dbadmin</MasterUsername>", "<DatabaseName>postgres</DatabaseName>",
                "<AvailabilityZones><AvailabilityZone>az-a</AvailabilityZone><AvailabilityZone>az-b</AvailabilityZone>"
                        + "<AvailabilityZone>az-c</AvailabilityZone></AvailabilityZones>",
                "<DBClusterMember><DBInstanceIdentifier>demo-1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter>"
                        + "<DBClusterParameterGroupStatus>in-sync</DBClusterParameterGroupStatus><PromotionTier>1</PromotionTier>",
                "<DBInstanceIdentifier>demo-2</DBInstanceIdentifier><IsClusterWriter>false</IsClusterWriter>"
                        + "<DBClusterParameterGroupStatus>pending-reboot</DBClusterParameterGroupStatus>",
                "<BackupRetentionPeriod>1</BackupRetentionPeriod>", "<PreferredBackupWindow>03:00-03:30</PreferredBackupWindow>",
                "<PreferredMaintenanceWindow>sun:05:00-sun:05:30</PreferredMaintenanceWindow>",
                "<StorageEncrypted>false</StorageEncrypted>", "<DeletionProtection>false</DeletionProtection>",
                "<TagList></TagList>", "<DBClusterInstanceClass>db.t3.micro</DBClusterInstanceClass>",
                "<StorageType>gp3</StorageType>", "<ClusterCreateTime>2025-01-02T03:04:05.000Z</ClusterCreateTime>",
                "<RequestId>req-1</RequestId>");
    }

    @Test
    void clusterStatus_pendingRequestOrNoLease_failingOver_elseAvailableEvenDegraded() {
        OperatorRequest r = new OperatorRequest(OperatorRequest.Kind.SWITCHOVER, "demo-1", null, false, CREATED, null);
        assertThat(RdsShapes.clusterStatus(description(healthy(null, "demo-1")))).isEqualTo("available");
        assertThat(RdsShapes.clusterStatus(description(healthy(r, "demo-1")))).isEqualTo("failing-over");
        assertThat(RdsShapes.clusterStatus(description(healthy(null, null)))).isEqualTo("failing-over");
    }

    @Test
    void instanceStatus_mapsServerStates() {
        ClusterDescription calm = description(healthy(null, "demo-1"));
        ClusterDescription moving = description(healthy(new OperatorRequest(OperatorRequest.Kind.SWITCHOVER, "demo-1",
                null, false, CREATED, null), "demo-1"));
        Map<ServerState, String> calmExpected = Map.of(ServerState.RUNNING, "available", ServerState.STARTING, "starting",
                ServerState.STOPPED, "stopped", ServerState.UNREACHABLE, "stopped", ServerState.CLONING, "creating",
                ServerState.INITIALIZING, "creating", ServerState.EMPTY, "creating");
        calmExpected.forEach((state, status) -> assertThat(RdsShapes.instanceStatus(calm,
                member("demo-2", "az-b", Role.READER, state, false))).as("%s", state).isEqualTo(status));
        assertThat(RdsShapes.instanceStatus(moving, member("demo-2", "az-b", Role.READER, ServerState.STOPPED, false)))
                .isEqualTo("rebooting");
        assertThat(RdsShapes.instanceStatus(moving, member("demo-2", "az-b", Role.READER, ServerState.RUNNING, true)))
                .isEqualTo("available");
    }

    @Test
    void describeDBInstances_oneInstance_endpointZoneAndCluster() {
        String xml = call("DescribeDBInstances", "DBInstanceIdentifier", "demo-3");
        assertThat(xml).contains("<DBInstanceIdentifier>demo-3</DBInstanceIdentifier>",
                "<DBInstanceClass>db.t3.micro</DBInstanceClass>", "<DBInstanceStatus>stopped</DBInstanceStatus>",
                "<Endpoint><Address>127.77.1.5</Address><Port>5432</Port></Endpoint>",
                "<AvailabilityZone>az-c</AvailabilityZone>", "<MultiAZ>false</MultiAZ>",
                "<DBClusterIdentifier>demo</DBClusterIdentifier>",
                "<DBInstanceArn>arn:aws:rds:local-1:000000000000:db:demo-3</DBInstanceArn>")
                .doesNotContain("demo-1");
    }

    @Test
    void failoverDBCluster_target_switchoverFiledAndFailingOver() {
        String xml = call("FailoverDBCluster", "DBClusterIdentifier", "demo", "TargetDBInstanceIdentifier", "demo-2");
        assertThat(backend.switchovers).containsExactly("demo->demo-2");
        assertThat(xml).contains("<FailoverDBClusterResult><DBCluster>", "<Status>failing-over</Status>");
    }

    @Test
    void describeEngineVersions_postgres_theOneVersion() {
        assertThat(call("DescribeDBEngineVersions", "Engine", "postgres")).contains(
                "<DBEngineVersions><DBEngineVersion><Engine>postgres</Engine><EngineVersion>15.14</EngineVersion>"
                        + "<DBParameterGroupFamily>postgres15</DBParameterGroupFamily>");
        assertThat(call("DescribeDBEngineVersions", "Engine", "mysql")).contains("<DBEngineVersions></DBEngineVersions>");
    }

    @Test
    void filters_clusterIdAndEngine() {
        assertThat(call("DescribeDBClusters", "Filters.Filter.1.Name", "db-cluster-id",
                "Filters.Filter.1.Values.Value.1", "other")).contains("<DBClusters></DBClusters>");
        assertThat(call("DescribeDBClusters", "Filters.Filter.1.Name", "engine",
                "Filters.Filter.1.Values.Value.1", "postgres")).contains("<DBClusterIdentifier>demo");
    }

    @Test
    void badInputs_refusedWithRdsCodes_nothingFiled() {
        record Bad(String code, String action, String[] params) {
        }
        List<Bad> table = List.of(
                new Bad("DBClusterNotFoundFault", "DescribeDBClusters", new String[]{"DBClusterIdentifier", "nope"}),
                new Bad("DBInstanceNotFound", "DescribeDBInstances", new String[]{"DBInstanceIdentifier", "nope"}),
                new Bad("InvalidParameterValue", "DescribeDBClusters", new String[]{"MaxRecords", "10"}),
                new Bad("InvalidParameterValue", "DescribeDBClusters", new String[]{"MaxRecords", "101"}),
                new Bad("InvalidParameterValue", "DescribeDBClusters", new String[]{"Marker", "x"}),
                new Bad("InvalidParameterValue", "DescribeDBClusters", new String[]{"Filters.Filter.1.Name", "color",
                        "Filters.Filter.1.Values.Value.1", "red"}),
                new Bad("MissingParameter", "FailoverDBCluster", new String[]{}),
                new Bad("DBClusterNotFoundFault", "FailoverDBCluster", new String[]{"DBClusterIdentifier", "nope"}),
                new Bad("InvalidParameterValue", "FailoverDBCluster", new String[]{"DBClusterIdentifier", "demo",
                        "TargetDBInstanceIdentifier", "stranger"}));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call(bad.action(), bad.params())).as("%s %s", bad.action(), List.of(bad.params()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.switchovers).isEmpty();
    }

    @Test
    void describeEvents_lastHourByDefault_sourcesCategoriesAndArns() {
        backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(7200), "demo-1", EventType.BOOTSTRAPPED,
                "old"));
        backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(60), "demo-2", EventType.PROMOTED,
                "promoting: lease of demo-1 expired"));
        backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(30), "demo-2",
                EventType.SWITCHOVER_REQUESTED, "switchover requested to demo-2"));

        String xml = call("DescribeEvents");

        assertThat(xml).contains("<DescribeEventsResult><Events><Event><SourceIdentifier>demo-2</SourceIdentifier>"
                        + "<SourceType>db-instance</SourceType><Message>promoting: lease of demo-1 expired</Message>"
                        + "<EventCategories><EventCategory>failover</EventCategory></EventCategories>"
                        + "<Date>2025-01-03T11:59:00.000Z</Date>"
                        + "<SourceArn>arn:aws:rds:local-1:000000000000:db:demo-2</SourceArn></Event>",
                "<SourceIdentifier>demo</SourceIdentifier><SourceType>db-cluster</SourceType>",
                "<SourceArn>arn:aws:rds:local-1:000000000000:cluster:demo</SourceArn>")
                .doesNotContain("<Message>old</Message>", "<Marker>");
        assertThat(call("DescribeEvents", "Duration", "180")).contains("<Message>old</Message>");
        assertThat(call("DescribeEvents", "StartTime", "2025-01-03T09:00Z", "EndTime", "2025-01-03T11:00:00Z"))
                .contains("<Message>old</Message>").doesNotContain("demo-2");
    }

    @Test
    void describeEvents_sourceAndCategoryFilters() {
        backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(60), "demo-2", EventType.PROMOTED, "p"));
        backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(50), null, EventType.PAUSED,
                "paused by me"));
        backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(40), "demo-3", EventType.STARTED, "s"));

        assertThat(call("DescribeEvents", "SourceType", "db-cluster")).contains("paused by me")
                .doesNotContain("<Message>p</Message>", "<Message>s</Message>");
        assertThat(call("DescribeEvents", "SourceType", "db-instance", "SourceIdentifier", "demo-3"))
                .contains("<Message>s</Message>").doesNotContain("<Message>p</Message>", "paused by me");
        assertThat(call("DescribeEvents", "SourceType", "db-instance", "SourceIdentifier",
                "arn:aws:rds:local-1:000000000000:db:demo-2")).contains("<Message>p</Message>")
                .doesNotContain("<Message>s</Message>");
        assertThat(call("DescribeEvents", "EventCategories.EventCategory.1", "availability"))
                .contains("<Message>s</Message>").doesNotContain("<Message>p</Message>", "paused by me");
        assertThat(call("DescribeEvents", "SourceType", "db-snapshot")).contains("<Events></Events>");
    }

    @Test
    void describeEvents_markerPagesThroughEveryEventOnce() {
        for (int i = 0; i < 45; i++) {
            backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(100 - i), "demo-1",
                    EventType.STARTED, "e" + i));
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String xml = marker == null ? call("DescribeEvents", "MaxRecords", "20")
                    : call("DescribeEvents", "MaxRecords", "20", "Marker", marker);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<Message>(e\\d+)</Message>").matcher(xml);
            while (m.find()) {
                seen.add(m.group(1));
            }
            java.util.regex.Matcher next = java.util.regex.Pattern.compile("<Marker>([^<]+)</Marker>").matcher(xml);
            marker = next.find() ? next.group(1) : null;
            pages++;
        } while (marker != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(45).doesNotHaveDuplicates().startsWith("e0").endsWith("e44");
    }

    @Test
    void describeEvents_laterPage_keepsTheFirstPagesWindow() {
        for (int i = 0; i < 25; i++) {
            backend.store.appendEvent("demo", new ClusterEvent(NOW.minusSeconds(3500 - i), "demo-1",
                    EventType.STARTED, "e" + i));
        }
        String first = call("DescribeEvents", "MaxRecords", "20");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<Marker>([^<]+)</Marker>").matcher(first);
        assertThat(m.find()).isTrue();
        backend.store.appendEvent("demo", new ClusterEvent(NOW.plusSeconds(1), "demo-1", EventType.STARTED, "after"));

        // an hour later the default window would have lost every event; the marker keeps the first page's
        RdsActions later = new RdsActions(backend, backend.records, Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
        String second = later.answer(QueryRequest.of("DescribeEvents", Map.of("MaxRecords", "20", "Marker", m.group(1))),
                "req-2");
        assertThat(second).contains("<Message>e20</Message>", "<Message>e24</Message>")
                .doesNotContain("<Message>e19</Message>", "<Message>after</Message>", "<Marker>");
    }

    @Test
    void describeEvents_badInputs_refused() {
        record Bad(String code, String[] params) {
        }
        List<Bad> table = List.of(
                new Bad("InvalidParameterValue", new String[]{"SourceType", "db-table"}),
                new Bad("InvalidParameterCombination", new String[]{"SourceIdentifier", "demo"}),
                new Bad("InvalidParameterValue", new String[]{"Duration", "-1"}),
                new Bad("InvalidParameterValue", new String[]{"Duration", "20161"}),
                new Bad("InvalidParameterValue", new String[]{"StartTime", "yesterday"}),
                new Bad("InvalidParameterCombination", new String[]{"StartTime", "2025-01-03T11:00:00Z",
                        "EndTime", "2025-01-03T10:00:00Z"}),
                new Bad("InvalidParameterValue", new String[]{"MaxRecords", "19"}),
                new Bad("InvalidParameterValue", new String[]{"Marker", "-3"}),
                new Bad("InvalidParameterValue", new String[]{"Marker", "20"}),
                new Bad("InvalidParameterValue", new String[]{"Marker", "x@1"}),
                new Bad("InvalidParameterValue", new String[]{"Filters.Filter.1.Name", "x",
                        "Filters.Filter.1.Values.Value.1", "y"}));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call("DescribeEvents", bad.params())).as("%s", List.of(bad.params()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
    }
}
