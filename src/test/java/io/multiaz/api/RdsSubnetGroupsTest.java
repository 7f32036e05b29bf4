package io.multiaz.api;

import io.multiaz.model.SubnetGroup;
import io.multiaz.store.RdsRecords;
import io.multiaz.store.Records;
import io.multiaz.store.StoreException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CreateDBSubnetGroup, DescribeDBSubnetGroups and DeleteDBSubnetGroup over the in-memory repositories. */
final class RdsSubnetGroupsTest {
    private final FixedBackend backend = new FixedBackend();
    private final RdsActions actions = backend.actions();

    private String call(String action, String... params) {
        return FixedBackend.call(actions, action, params);
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
        assertThat(backend.records.subnetGroups().list()).extracting(g -> g.name()).containsExactly("alpha");
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
        assertThat(backend.records.subnetGroups().list()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("web");
            assertThat(g.description()).isEqualTo("for web");
        });
    }

    @Test
    void describeSubnetGroups_storeDoesNotAnswer_serviceUnavailableSayingToRetry() {
        @SuppressWarnings("unchecked")
        Records<SubnetGroup> down = (Records<SubnetGroup>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Records.class}, (proxy, method, args) -> {
                    throw new StoreException("could not list children of /multiaz/subnet-groups: CONNECTIONLOSS");
                });
        RdsRecords r = backend.records;
        RdsActions unreachable = new RdsActions(backend, new RdsRecords(r.clusters(), r.events(), down,
                r.parameterGroups(), r.clusterSnapshots(), r.tags(), r.backups()), Clock.systemUTC());

        assertThatThrownBy(() -> FixedBackend.call(unreachable, "DescribeDBSubnetGroups"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("ServiceUnavailable");
                    assertThat(e.getMessage()).contains("CONNECTIONLOSS", "retry");
                });
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
