package io.multiaz.api;

import io.multiaz.model.ClusterReport;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import io.multiaz.model.ClusterSpec;
import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Lsn;
import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;
import io.multiaz.store.InMemoryClusterStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RDS answers built from real cluster records: fields, status mapping and refusals. */
final class RdsActionsTest {
    private static final ClusterSpec DEMO = new ClusterSpec("demo", "postgres", 1, List.of(
            new InstanceSpec("demo-1", "az-a", "127.0.0.1", 6500),
            new InstanceSpec("demo-2", "az-b", "127.0.0.1", 6510),
            new InstanceSpec("demo-3", "az-c", "127.0.0.1", 6520)),
            new Credentials("su", "p1", "rep", "p2", "dbadmin", "p3"), Map.of());
    private static final Instant CREATED = Instant.parse("2025-01-02T03:04:05Z");

    private static ClusterReport.Member member(String name, String az, Role role, ServerState state, boolean streaming) {
        return new ClusterReport.Member(name, az, "127.0.0.1", 6500, role, state, 1, Lsn.ZERO, Lsn.ZERO, 0,
                role == Role.WRITER ? "writer" : "quorum", null, streaming, "reason", 1, 2, null, false,
                name.equals("demo-2")); // demo-2 has a parameter change waiting for its restart
    }

    private static ClusterReport healthy(OperatorRequest request, String leader) {
        return new ClusterReport("demo", leader, 3, false, request, List.of(
                member("demo-1", "az-a", Role.WRITER, ServerState.RUNNING, false),
                member("demo-2", "az-b", Role.READER, ServerState.RUNNING, true),
                member("demo-3", "az-c", Role.READER, ServerState.STOPPED, false)), 1, 0, false);
    }

    private static ClusterDescription description(ClusterReport report) {
        return new ClusterDescription(DEMO, report, "15.14", "127.77.1.1", "127.77.1.2",
                Map.of("demo-1", "127.77.1.3", "demo-2", "127.77.1.4", "demo-3", "127.77.1.5"), 5432, CREATED, "local-1",
                true);
    }

    /** PostgreSQL 15's parameters, as recorded from the real server: no server is needed here. */
    private static final List<io.multiaz.model.EngineParameter> ENGINE_PARAMETERS =
            io.multiaz.engine.RecordedDescribeConfig.postgres15();

    /**
     * A backend over one fixed description of the demo and an in-memory store holding the clusters
     * the API creates (described from the store, placed on ports 7000 + 16·slot + ordinal),
     * recording the switchovers, reboots and password changes asked of it.
     */
    static final class FixedBackend implements RdsBackend {
        /** Remove a cluster from the store as soon as it is deleting and empty, before the call returns. */
        boolean agentsRemoveEmptyDeleted;
        final List<String> switchovers = new ArrayList<>();
        final List<String> reboots = new ArrayList<>();
        final List<String> passwords = new ArrayList<>();
        final InMemoryClusterStore store = new InMemoryClusterStore();
        ClusterDescription d = description(healthy(null, "demo-1"));

        @Override
        public boolean createClusterSnapshot(io.multiaz.model.DbClusterSnapshot snapshot) {
            return store.createClusterSnapshot(snapshot);
        }

        @Override
        public java.util.Optional<io.multiaz.model.DbClusterSnapshot> clusterSnapshot(String identifier) {
            return store.clusterSnapshot(identifier);
        }

        @Override
        public List<io.multiaz.model.DbClusterSnapshot> clusterSnapshots() {
            return store.clusterSnapshots();
        }

        @Override
        public java.util.Optional<io.multiaz.model.DbClusterSnapshot> updateClusterSnapshot(String identifier,
                java.util.function.UnaryOperator<io.multiaz.model.DbClusterSnapshot> change) {
            return store.updateClusterSnapshot(identifier, change);
        }

        @Override
        public boolean deleteClusterSnapshot(String identifier) {
            return store.deleteClusterSnapshot(identifier);
        }

        @Override
        public String region() {
            return "local-1";
        }

        @Override
        public String engineVersion() {
            return d.engineVersion();
        }

        @Override
        public int endpointPort() {
            return 5432;
        }

        @Override
        public List<String> zones() {
            return List.of("az-a", "az-b", "az-c");
        }

        @Override
        public List<ClusterDescription> clusters() {
            List<ClusterDescription> all = new ArrayList<>();
            all.add(d);
            store.clusters().forEach(c -> cluster(c).ifPresent(all::add));
            return all;
        }

        @Override
        public java.util.Optional<ClusterDescription> cluster(String name) {
            if (name.equals(d.name())) {
                return java.util.Optional.of(d);
            }
            var snapshot = store.read(name);
            return snapshot.spec().map(spec -> {
                Map<String, String> addresses = new LinkedHashMap<>();
                spec.instances().forEach(i -> addresses.put(i.name(), "127.77.1." + (16 * spec.rds().slot() + 3
                        + spec.ordinal(i))));
                return new ClusterDescription(spec, ClusterReport.of(spec, snapshot), "15.14",
                        "127.77.1." + (16 * spec.rds().slot() + 1), "127.77.1." + (16 * spec.rds().slot() + 2),
                        addresses, 5432, spec.rds().createdAt(), "local-1",
                        snapshot.bootstrap().map(io.multiaz.model.Bootstrap::complete).orElse(false));
            });
        }

        @Override
        public InstanceSpec place(int slot, int ordinal, String name, String az, String instanceClass) {
            return new InstanceSpec(name, az, "127.0.0.1", 7000 + 16 * slot + ordinal, instanceClass, ordinal);
        }

        @Override
        public java.util.OptionalInt claimSlot(String name) {
            return store.claimSlot(name);
        }

        @Override
        public boolean createCluster(ClusterSpec spec) {
            return store.createCluster(spec);
        }

        @Override
        public java.util.Optional<ClusterSpec> updateSpec(String cluster,
                                                          java.util.function.UnaryOperator<ClusterSpec> change) {
            java.util.Optional<ClusterSpec> written = store.updateSpec(cluster, change);
            // as the agents do: a cluster deleting with no instances left is removed at once
            written.filter(w -> agentsRemoveEmptyDeleted && w.rds().deleting() && w.instances().isEmpty()
                    && w.rds().retiring().isEmpty()).ifPresent(w -> store.deleteCluster(cluster));
            return written;
        }

        @Override
        public void changeMasterPassword(String cluster, String password) {
            passwords.add(cluster + ":" + password);
        }

        @Override
        public void reboot(String cluster, String instance) {
            reboots.add(cluster + "/" + instance);
        }

        @Override
        public void recordEvent(String cluster, ClusterEvent event) {
            store.appendEvent(cluster, event);
        }

        @Override
        public ClusterDescription switchover(String cluster, String target) {
            switchovers.add(cluster + "->" + target);
            OperatorRequest r = new OperatorRequest(OperatorRequest.Kind.SWITCHOVER, "demo-1", target, false, CREATED, null);
            return d.withReport(healthy(r, "demo-1"));
        }

        @Override
        public List<ClusterEvent> events(String cluster) {
            return store.events(cluster, 1000);
        }

        @Override
        public Map<String, String> tags(String cluster, String resource) {
            return store.tags(cluster, resource);
        }

        @Override
        public void updateTags(String cluster, String resource,
                               java.util.function.UnaryOperator<Map<String, String>> change) {
            store.updateTags(cluster, resource, change);
        }

        @Override
        public boolean createSubnetGroup(io.multiaz.model.SubnetGroup group) {
            return store.createSubnetGroup(group);
        }

        @Override
        public java.util.Optional<io.multiaz.model.SubnetGroup> subnetGroup(String name) {
            return store.subnetGroup(name);
        }

        @Override
        public List<io.multiaz.model.SubnetGroup> subnetGroups() {
            return store.subnetGroups();
        }

        @Override
        public boolean deleteSubnetGroup(String name) {
            return store.deleteSubnetGroup(name);
        }

        @Override
        public List<io.multiaz.model.EngineParameter> engineParameters() {
            return ENGINE_PARAMETERS;
        }

        @Override
        public boolean createParameterGroup(io.multiaz.model.ParameterGroup group) {
            return store.createParameterGroup(group);
        }

        @Override
        public java.util.Optional<io.multiaz.model.ParameterGroup> parameterGroup(String name) {
            return store.parameterGroup(name);
        }

        @Override
        public List<io.multiaz.model.ParameterGroup> parameterGroups() {
            return store.parameterGroups();
        }

        @Override
        public java.util.Optional<io.multiaz.model.ParameterGroup> updateParameterGroup(String name,
                java.util.function.UnaryOperator<io.multiaz.model.ParameterGroup> change) {
            return store.updateParameterGroup(name, change);
        }

        @Override
        public boolean deleteParameterGroup(String name) {
            return store.deleteParameterGroup(name);
        }
    }

    private static final Instant NOW = Instant.parse("2025-01-03T12:00:00Z");
    private final FixedBackend backend = new FixedBackend();
    private final RdsActions actions = new RdsActions(backend, Clock.fixed(NOW, ZoneOffset.UTC));

    private String call(String action, String... params) {
        return call(actions, action, params);
    }

    /** {@code actions}' answer to {@code action} with the name/value pairs {@code params}. */
    static String call(RdsActions actions, String action, String... params) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            p.put(params[i], params[i + 1]);
        }
        return actions.answer(QueryRequest.of(action, p), "req-1");
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
        RdsActions later = new RdsActions(backend, Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
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

    private static final String CLUSTER_ARN = "arn:aws:rds:local-1:000000000000:cluster:demo";
    private static final String DB2_ARN = "arn:aws:rds:local-1:000000000000:db:demo-2";

    @Test
    void tags_addListRemove_shownInDescribe() {
        assertThat(call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "env",
                "Tags.Tag.1.Value", "prod", "Tags.Tag.2.Key", "team", "Tags.Tag.2.Value", "db"))
                .contains("<AddTagsToResourceResponse", "<RequestId>req-1</RequestId>")
                .doesNotContain("Result");
        call("AddTagsToResource", "ResourceName", DB2_ARN, "Tags.Tag.1.Key", "role", "Tags.Tag.1.Value", "reader");
        call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "env", "Tags.Tag.1.Value", "staging");

        assertThat(call("ListTagsForResource", "ResourceName", CLUSTER_ARN)).contains("<ListTagsForResourceResult>"
                + "<TagList><Tag><Key>env</Key><Value>staging</Value></Tag><Tag><Key>team</Key><Value>db</Value></Tag>"
                + "</TagList></ListTagsForResourceResult>");
        assertThat(call("DescribeDBClusters")).contains("<TagList><Tag><Key>env</Key><Value>staging</Value></Tag>");
        assertThat(call("DescribeDBInstances", "DBInstanceIdentifier", "demo-2"))
                .contains("<TagList><Tag><Key>role</Key><Value>reader</Value></Tag></TagList>");
        assertThat(call("DescribeDBInstances", "DBInstanceIdentifier", "demo-1")).contains("<TagList></TagList>");

        assertThat(call("RemoveTagsFromResource", "ResourceName", CLUSTER_ARN, "TagKeys.member.1", "env",
                "TagKeys.member.2", "absent")).contains("<RemoveTagsFromResourceResponse").doesNotContain("Result");
        assertThat(backend.store.tags("demo", "cluster")).containsExactly(Map.entry("team", "db"));
        assertThat(backend.store.tags("demo", "db:demo-2")).containsExactly(Map.entry("role", "reader"));
    }

    @Test
    void tags_fiftyAtMost_theFiftyFirstRefusedAndNothingAdded() {
        List<String> params = new ArrayList<>(List.of("ResourceName", CLUSTER_ARN));
        for (int i = 1; i <= 50; i++) {
            params.addAll(List.of("Tags.Tag." + i + ".Key", "k" + i, "Tags.Tag." + i + ".Value", "v"));
        }
        call("AddTagsToResource", params.toArray(String[]::new));
        assertThatThrownBy(() -> call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "k51",
                "Tags.Tag.1.Value", "v")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "k1", "Tags.Tag.1.Value", "w");
        assertThat(backend.store.tags("demo", "cluster")).hasSize(50).containsEntry("k1", "w")
                .doesNotContainKey("k51");
    }

    @Test
    void tags_badInputs_refusedAndNothingChanged() {
        call("AddTagsToResource", "ResourceName", CLUSTER_ARN, "Tags.Tag.1.Key", "env", "Tags.Tag.1.Value", "prod");
        record Bad(String code, String action, String[] params) {
        }
        String longKey = "k".repeat(129);
        String longValue = "v".repeat(257);
        List<Bad> table = List.of(
                new Bad("MissingParameter", "ListTagsForResource", new String[]{}),
                new Bad("InvalidParameterValue", "ListTagsForResource", new String[]{"ResourceName", "demo"}),
                new Bad("InvalidParameterValue", "ListTagsForResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:snapshot:s1"}),
                new Bad("DBClusterNotFoundFault", "ListTagsForResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:cluster:other"}),
                new Bad("DBInstanceNotFound", "AddTagsToResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:db:demo-9", "Tags.Tag.1.Key", "a", "Tags.Tag.1.Value", "b"}),
                new Bad("DBClusterNotFoundFault", "AddTagsToResource", new String[]{"ResourceName",
                        "arn:aws:rds:eu-west-1:000000000000:cluster:demo", "Tags.Tag.1.Key", "a"}),
                new Bad("MissingParameter", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", longKey}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", "ok", "Tags.Tag.2.Key", "env", "Tags.Tag.2.Value", longValue}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", "aws:owner", "Tags.Tag.1.Value", "x"}),
                new Bad("InvalidParameterValue", "AddTagsToResource", new String[]{"ResourceName", CLUSTER_ARN,
                        "Tags.Tag.1.Key", "semi;colon"}),
                new Bad("MissingParameter", "RemoveTagsFromResource", new String[]{"ResourceName", CLUSTER_ARN}),
                new Bad("DBInstanceNotFound", "RemoveTagsFromResource", new String[]{"ResourceName",
                        "arn:aws:rds:local-1:000000000000:db:nope", "TagKeys.member.1", "env"}));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call(bad.action(), bad.params())).as("%s %s", bad.action(), List.of(bad.params()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.store.tags("demo", "cluster")).containsExactly(Map.entry("env", "prod"));
        assertThat(backend.store.tags("demo", "db:demo-9")).isEmpty();
    }

    private String createGroup(String name, String... subnets) {
        List<String> params = new ArrayList<>(List.of("DBSubnetGroupName", name, "DBSubnetGroupDescription", "for " + name));
        for (int i = 0; i < subnets.length; i++) {
            params.addAll(List.of("SubnetIds.SubnetIdentifier." + (i + 1), subnets[i]));
        }
        return call("CreateDBSubnetGroup", params.toArray(String[]::new));
    }

    @Test
    void subnetGroups_createDescribeDelete_zonesRoundRobinNameLowerCase() {
        String xml = createGroup("Web.Tier_1", "subnet-a", "subnet-b", "subnet-c", "subnet-d");

        assertThat(xml).contains("<CreateDBSubnetGroupResult><DBSubnetGroup><DBSubnetGroupName>web.tier_1</DBSubnetGroupName>"
                        + "<DBSubnetGroupDescription>for Web.Tier_1</DBSubnetGroupDescription>"
                        + "<SubnetGroupStatus>Complete</SubnetGroupStatus><Subnets><Subnet>"
                        + "<SubnetIdentifier>subnet-a</SubnetIdentifier><SubnetAvailabilityZone><Name>az-a</Name>"
                        + "</SubnetAvailabilityZone><SubnetStatus>Active</SubnetStatus></Subnet>",
                "<SubnetIdentifier>subnet-d</SubnetIdentifier><SubnetAvailabilityZone><Name>az-a</Name>",
                "<SubnetIdentifier>subnet-c</SubnetIdentifier><SubnetAvailabilityZone><Name>az-c</Name>",
                "<DBSubnetGroupArn>arn:aws:rds:local-1:000000000000:subgrp:web.tier_1</DBSubnetGroupArn>");
        createGroup("alpha", "subnet-x");

        assertThat(call("DescribeDBSubnetGroups", "DBSubnetGroupName", "WEB.tier_1"))
                .contains("<DBSubnetGroupName>web.tier_1</DBSubnetGroupName>").doesNotContain("alpha");
        assertThat(call("DescribeDBSubnetGroups")).containsSubsequence("<DBSubnetGroupName>alpha",
                "<DBSubnetGroupName>web.tier_1");

        assertThat(call("DeleteDBSubnetGroup", "DBSubnetGroupName", "web.tier_1"))
                .contains("<DeleteDBSubnetGroupResponse").doesNotContain("Result");
        assertThat(backend.store.subnetGroups()).extracting(g -> g.name()).containsExactly("alpha");
    }

    @Test
    void describeSubnetGroups_markerPagesThroughAll() {
        for (int i = 0; i < 25; i++) {
            createGroup(String.format("g%02d", i), "subnet-1");
        }
        String first = call("DescribeDBSubnetGroups", "MaxRecords", "20");
        assertThat(first).contains("<Marker>20</Marker>", "<DBSubnetGroupName>g19<").doesNotContain("g20");
        String second = call("DescribeDBSubnetGroups", "MaxRecords", "20", "Marker", "20");
        assertThat(second).contains("<DBSubnetGroupName>g20<", "<DBSubnetGroupName>g24<")
                .doesNotContain("g19", "<Marker>");
    }

    @Test
    void subnetGroups_badInputs_refusedAndNothingChanged() {
        createGroup("web", "subnet-a");
        record Bad(String code, String action, String[] params) {
        }
        String[] ok = {"DBSubnetGroupDescription", "d", "SubnetIds.SubnetIdentifier.1", "s1"};
        List<Bad> table = List.of(
                new Bad("DBSubnetGroupAlreadyExists", "CreateDBSubnetGroup", concat(new String[]{"DBSubnetGroupName", "WEB"}, ok)),
                new Bad("InvalidParameterValue", "CreateDBSubnetGroup", concat(new String[]{"DBSubnetGroupName", "default"}, ok)),
                new Bad("InvalidParameterValue", "CreateDBSubnetGroup", concat(new String[]{"DBSubnetGroupName", "a/b"}, ok)),
                new Bad("InvalidParameterValue", "CreateDBSubnetGroup", concat(new String[]{"DBSubnetGroupName",
                        "x".repeat(256)}, ok)),
                new Bad("MissingParameter", "CreateDBSubnetGroup", new String[]{"DBSubnetGroupName", "new",
                        "DBSubnetGroupDescription", "d"}),
                new Bad("MissingParameter", "CreateDBSubnetGroup", new String[]{"DBSubnetGroupName", "new",
                        "SubnetIds.SubnetIdentifier.1", "s1"}),
                new Bad("InvalidParameterValue", "CreateDBSubnetGroup", concat(new String[]{"DBSubnetGroupName", "new",
                        "SubnetIds.SubnetIdentifier.2", "s1"}, ok)),
                new Bad("DBSubnetGroupNotFoundFault", "DescribeDBSubnetGroups", new String[]{"DBSubnetGroupName", "nope"}),
                new Bad("InvalidParameterValue", "DescribeDBSubnetGroups", new String[]{"MaxRecords", "101"}),
                new Bad("DBSubnetGroupNotFoundFault", "DeleteDBSubnetGroup", new String[]{"DBSubnetGroupName", "nope"}),
                new Bad("InvalidParameterValue", "DeleteDBSubnetGroup", new String[]{"DBSubnetGroupName", "default"}),
                new Bad("MissingParameter", "DeleteDBSubnetGroup", new String[]{}));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call(bad.action(), bad.params())).as("%s %s", bad.action(), List.of(bad.params()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.store.subnetGroups()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("web");
            assertThat(g.description()).isEqualTo("for web");
        });
    }

    @Test
    void modifyParameterGroup_passwordEncryption_refusedAsTheEngineWouldRefuseToStartWithIt() {
        // regression: the API once accepted settings the engine manages, and the instance then failed to start
        createParameterGroup("web");
        for (String managed : io.multiaz.engine.ManagedSettings.NAMES) {
            assertThatThrownBy(() -> modify("web", managed, "x", "pending-reboot")).as(managed)
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo("InvalidParameterValue"));
        }
        assertThat(backend.store.parameterGroup("web").orElseThrow().parameters()).isEmpty();
    }

    private String modify(String group, String... nameValueMethod) {
        List<String> params = new ArrayList<>(List.of("DBClusterParameterGroupName", group));
        for (int i = 0; i < nameValueMethod.length; i += 3) {
            String p = "Parameters.Parameter." + (i / 3 + 1) + ".";
            params.addAll(List.of(p + "ParameterName", nameValueMethod[i], p + "ParameterValue", nameValueMethod[i + 1],
                    p + "ApplyMethod", nameValueMethod[i + 2]));
        }
        return call("ModifyDBClusterParameterGroup", params.toArray(String[]::new));
    }

    private String createParameterGroup(String name) {
        return call("CreateDBClusterParameterGroup", "DBClusterParameterGroupName", name,
                "DBParameterGroupFamily", "postgres15", "Description", "for " + name);
    }

    @Test
    void parameterGroups_createModifyDescribeResetDelete() {
        assertThat(createParameterGroup("Tuned-1")).contains("<CreateDBClusterParameterGroupResult><DBClusterParameterGroup>"
                + "<DBClusterParameterGroupName>tuned-1</DBClusterParameterGroupName><DBParameterGroupFamily>postgres15"
                + "</DBParameterGroupFamily><Description>for Tuned-1</Description><DBClusterParameterGroupArn>"
                + "arn:aws:rds:local-1:000000000000:cluster-pg:tuned-1</DBClusterParameterGroupArn>");

        assertThat(modify("tuned-1", "work_mem", "8192", "immediate", "shared_buffers", "256MB", "pending-reboot",
                "enable_seqscan", "off", "immediate", "random_page_cost", "1.1", "immediate"))
                .contains("<ModifyDBClusterParameterGroupResult><DBClusterParameterGroupName>tuned-1<");

        String user = call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "tuned-1", "Source", "user");
        assertThat(user).contains("<Parameter><ParameterName>enable_seqscan</ParameterName><ParameterValue>off"
                        + "</ParameterValue>",
                "<ParameterName>shared_buffers</ParameterName><ParameterValue>256MB</ParameterValue>",
                "<Source>user</Source><ApplyType>static</ApplyType><DataType>integer</DataType><AllowedValues>16-1073741823"
                        + "</AllowedValues><IsModifiable>true</IsModifiable><ApplyMethod>pending-reboot</ApplyMethod>",
                "<ParameterName>work_mem</ParameterName><ParameterValue>8192</ParameterValue>")
                .doesNotContain("max_connections", "<Marker>");
        assertThat(call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "tuned-1", "Source", "system"))
                .contains("<ParameterName>wal_level</ParameterName>", "<AllowedValues>minimal,replica,logical</AllowedValues>");
        assertThat(call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "tuned-1", "Source", "system"))
                .contains("<ParameterName>wal_level</ParameterName>", "<IsModifiable>false</IsModifiable>")
                .doesNotContain("work_mem");
        assertThat(call("DescribeDBClusterParameters", "DBClusterParameterGroupName", "default.postgres15",
                "MaxRecords", "20")).contains("<Marker>20</Marker>", "<Source>engine-default</Source>")
                .doesNotContain("<Source>user</Source>");

        call("ResetDBClusterParameterGroup", "DBClusterParameterGroupName", "tuned-1",
                "Parameters.Parameter.1.ParameterName", "work_mem");
        assertThat(backend.store.parameterGroup("tuned-1").orElseThrow().parameters())
                .containsOnlyKeys("enable_seqscan", "random_page_cost", "shared_buffers");
        call("ResetDBClusterParameterGroup", "DBClusterParameterGroupName", "tuned-1", "ResetAllParameters", "true");
        assertThat(backend.store.parameterGroup("tuned-1").orElseThrow().parameters()).isEmpty();

        assertThat(call("DeleteDBClusterParameterGroup", "DBClusterParameterGroupName", "tuned-1"))
                .contains("<DeleteDBClusterParameterGroupResponse").doesNotContain("Result");
        assertThat(backend.store.parameterGroups()).isEmpty();
    }

    @Test
    void describeParameterGroups_builtInFirst_byName_andPages() {
        for (int i = 0; i < 20; i++) {
            createParameterGroup(String.format("g%02d", i));
        }
        String first = call("DescribeDBClusterParameterGroups", "MaxRecords", "20");
        assertThat(first).containsSubsequence("<DBClusterParameterGroupName>default.postgres15<",
                "<DBClusterParameterGroupName>g00<", "<DBClusterParameterGroupName>g18<")
                .contains("<Marker>20</Marker>").doesNotContain("g19");
        assertThat(call("DescribeDBClusterParameterGroups", "Marker", "20")).contains("g19").doesNotContain("g18");
        assertThat(call("DescribeDBClusterParameterGroups", "DBClusterParameterGroupName", "Default.Postgres15"))
                .contains("<Description>Default cluster parameter group for postgres15</Description>")
                .doesNotContain("g00");
    }

    @Test
    void parameterGroups_badInputs_refusedAndNothingChanged() {
        createParameterGroup("web");
        modify("web", "work_mem", "4096", "immediate");
        record Bad(String code, String action, String[] params) {
        }
        String[] createOk = {"DBParameterGroupFamily", "postgres15", "Description", "d"};
        String m = "Parameters.Parameter.1.";
        List<Bad> table = new ArrayList<>(List.of(
                new Bad("DBParameterGroupAlreadyExists", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "WEB"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "1st"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "a--b"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "ends-"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup",
                        concat(new String[]{"DBClusterParameterGroupName", "default.postgres15"}, createOk)),
                new Bad("InvalidParameterValue", "CreateDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "new", "DBParameterGroupFamily", "postgres14", "Description", "d"}),
                new Bad("MissingParameter", "CreateDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "new", "DBParameterGroupFamily", "postgres15"}),
                new Bad("DBParameterGroupNotFound", "DescribeDBClusterParameterGroups",
                        new String[]{"DBClusterParameterGroupName", "nope"}),
                new Bad("InvalidParameterValue", "DescribeDBClusterParameterGroups", new String[]{"MaxRecords", "19"}),
                new Bad("DBParameterGroupNotFound", "DescribeDBClusterParameters",
                        new String[]{"DBClusterParameterGroupName", "nope"}),
                new Bad("InvalidParameterValue", "DescribeDBClusterParameters",
                        new String[]{"DBClusterParameterGroupName", "web", "Source", "mine"}),
                new Bad("MissingParameter", "DescribeDBClusterParameters", new String[]{}),
                new Bad("MissingParameter", "ModifyDBClusterParameterGroup", new String[]{"DBClusterParameterGroupName", "web"}),
                new Bad("MissingParameter", "ModifyDBClusterParameterGroup", new String[]{"DBClusterParameterGroupName", "web",
                        m + "ParameterName", "work_mem"}),
                new Bad("DBParameterGroupNotFound", "ModifyDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "nope", m + "ParameterName", "work_mem", m + "ParameterValue", "1024"}),
                new Bad("InvalidDBParameterGroupState", "ModifyDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "default.postgres15", m + "ParameterName", "work_mem",
                        m + "ParameterValue", "1024"}),
                new Bad("InvalidDBParameterGroupState", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "default.postgres15", "ResetAllParameters", "true"}),
                new Bad("InvalidDBParameterGroupState", "DeleteDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "default.postgres15"}),
                new Bad("InvalidParameterCombination", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "web"}),
                new Bad("InvalidParameterCombination", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "web", "ResetAllParameters", "true", m + "ParameterName", "work_mem"}),
                new Bad("InvalidParameterValue", "ResetDBClusterParameterGroup", new String[]{
                        "DBClusterParameterGroupName", "web", m + "ParameterName", "no_such_thing"}),
                new Bad("DBParameterGroupNotFound", "DeleteDBClusterParameterGroup",
                        new String[]{"DBClusterParameterGroupName", "nope"})));
        String[][] badModifies = {
                {"InvalidParameterValue", "no_such_thing", "1", "immediate"},
                {"InvalidParameterValue", "work_mem", "lots", "immediate"},
                {"InvalidParameterValue", "work_mem", "63", "immediate"},
                {"InvalidParameterValue", "work_mem", "2147483648", "immediate"},
                {"InvalidParameterValue", "random_page_cost", "-1", "immediate"},
                {"InvalidParameterValue", "random_page_cost", "cheap", "immediate"},
                {"InvalidParameterValue", "enable_seqscan", "maybe", "immediate"},
                {"InvalidParameterValue", "log_min_messages", "very loud", "immediate"},
                {"InvalidParameterValue", "log_min_messages", "loud", "immediate"},
                {"InvalidParameterValue", "work_mem", "1024", "later"},
                {"InvalidParameterValue", "wal_level", "logical", "pending-reboot"},
                {"InvalidParameterValue", "synchronous_standby_names", "*", "immediate"},
                {"InvalidParameterValue", "port", "5433", "pending-reboot"},
                {"InvalidParameterValue", "block_size", "4096", "pending-reboot"},
                {"InvalidParameterCombination", "shared_buffers", "256MB", "immediate"},
                {"InvalidParameterCombination", "max_connections", "200", "immediate"}};
        for (String[] b : badModifies) {
            // a valid first parameter shows that a bad second one leaves the first unwritten too
            table.add(new Bad(b[0], "ModifyDBClusterParameterGroup", new String[]{"DBClusterParameterGroupName", "web",
                    m + "ParameterName", "work_mem", m + "ParameterValue", "9999", m + "ApplyMethod", "immediate",
                    "Parameters.Parameter.2.ParameterName", b[1], "Parameters.Parameter.2.ParameterValue", b[2],
                    "Parameters.Parameter.2.ApplyMethod", b[3]}));
        }
        String[] tooMany = {"DBClusterParameterGroupName", "web"};
        for (int i = 1; i <= 21; i++) {
            tooMany = concat(tooMany, new String[]{"Parameters.Parameter." + i + ".ParameterName", "work_mem",
                    "Parameters.Parameter." + i + ".ParameterValue", "1024"});
        }
        table.add(new Bad("InvalidParameterValue", "ModifyDBClusterParameterGroup", tooMany));
        for (Bad bad : table) {
            assertThatThrownBy(() -> call(bad.action(), bad.params())).as("%s %s", bad.action(), List.of(bad.params()))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
        }
        assertThat(backend.store.parameterGroups()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("web");
            assertThat(g.parameters()).containsExactly(Map.entry("work_mem", new io.multiaz.model.ParameterGroup.Setting(
                    "4096", io.multiaz.model.ParameterGroup.ApplyMethod.IMMEDIATE)));
        });
    }

    @Test
    void modifyParameterGroup_unitsAndPostgresSpellings_accepted() {
        createParameterGroup("web");

        modify("web", "work_mem", "64MB", "immediate", "statement_timeout", "5min", "immediate",
                "enable_seqscan", "FALSE", "immediate", "log_min_messages", "WARNING", "immediate",
                "search_path", "\"$user\", public", "immediate", "max_connections", "200", "pending-reboot");

        assertThat(backend.store.parameterGroup("web").orElseThrow().parameters()).containsOnlyKeys("work_mem",
                "statement_timeout", "enable_seqscan", "log_min_messages", "search_path", "max_connections");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
