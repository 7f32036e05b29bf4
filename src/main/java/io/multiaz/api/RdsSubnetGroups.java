package io.multiaz.api;

import io.multiaz.model.SubnetGroup;
import io.multiaz.store.Records;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code CreateDBSubnetGroup}, {@code DescribeDBSubnetGroups} and {@code DeleteDBSubnetGroup}. Names
 * follow RDS's rules (1-255 letters, digits, spaces, periods, underscores and hyphens, not
 * {@code default}) and are kept in lower case, as RDS keeps them. multiaz runs on one host with no
 * VPC: any non-empty subnet ids are accepted and recorded, the i-th placed in the i-th zone of the
 * deployment (round robin), and the group reports no {@code VpcId}. Stateless; safe for
 * concurrent requests.
 */
final class RdsSubnetGroups {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 ._-]{1,255}");
    private static final int DEFAULT_MAX_RECORDS = 100;

    private final RdsBackend backend;
    private final Records<SubnetGroup> groups;
    private final Clock clock;

    RdsSubnetGroups(RdsBackend backend, Records<SubnetGroup> groups, Clock clock) {
        this.backend = backend;
        this.groups = groups;
        this.clock = clock;
    }

    static String arn(String region, String name) {
        return RdsShapes.arn(region, "subgrp", name);
    }

    String create(QueryRequest q, String requestId) {
        String name = name(q.string("DBSubnetGroupName"));
        String description = q.string("DBSubnetGroupDescription");
        List<String> ids = q.list("SubnetIds", "SubnetIdentifier");
        if (ids.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_PARAMETER, "The parameter SubnetIds must be provided and must"
                    + " not be empty, e.g. SubnetIds.SubnetIdentifier.1=subnet-a.");
        }
        if (ids.stream().anyMatch(String::isBlank) || ids.stream().distinct().count() != ids.size()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "SubnetIds must be distinct and non-blank,"
                    + " got " + ids + ".");
        }
        if (!q.tags().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "multiaz keeps no tags on DB subnet groups"
                    + " yet; create the group without Tags.");
        }
        List<String> zones = backend.zones();
        List<SubnetGroup.Subnet> subnets = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            subnets.add(new SubnetGroup.Subnet(ids.get(i), zones.get(i % zones.size())));
        }
        SubnetGroup group = new SubnetGroup(name, description, subnets, clock.instant());
        if (!groups.create(name, group)) {
            throw new ApiException(RdsFault.DB_SUBNET_GROUP_ALREADY_EXISTS, "The DB subnet group " + name
                    + " already exists; pick another name or delete it first.");
        }
        return RdsXml.success(q.action(), requestId, result -> result.element("DBSubnetGroup",
                e -> write(e, group, backend.region())));
    }

    String describe(QueryRequest q, String requestId) {
        int offset = RdsActions.page(q);
        int max = q.optionalInteger("MaxRecords").orElse(DEFAULT_MAX_RECORDS);
        if (!q.filters().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "DescribeDBSubnetGroups does not support"
                    + " Filters (RDS does not either); use DBSubnetGroupName.");
        }
        Optional<String> wanted = q.optionalString("DBSubnetGroupName").map(RdsSubnetGroups::name);
        List<SubnetGroup> listed;
        if (wanted.isPresent()) {
            listed = List.of(groups.get(wanted.get()).orElseThrow(() -> notFound(wanted.get())));
        } else {
            listed = groups.list();
        }
        int from = Math.min(offset, listed.size());
        int to = Math.min(from + max, listed.size());
        List<SubnetGroup> page = listed.subList(from, to);
        String next = to < listed.size() ? Integer.toString(to) : null;
        String region = backend.region();
        return RdsXml.success(q.action(), requestId, result -> result
                .text("Marker", next)
                .list("DBSubnetGroups", "DBSubnetGroup", page, (e, g) -> write(e, g, region)));
    }

    String delete(QueryRequest q, String requestId) {
        String name = name(q.string("DBSubnetGroupName"));
        List<String> users = backend.clusters().stream().filter(c -> name.equals(c.spec().rds().subnetGroup()))
                .map(ClusterDescription::name).toList();
        if (!users.isEmpty()) {
            throw new ApiException(RdsFault.INVALID_DB_SUBNET_GROUP_STATE, "The DB subnet group " + name
                    + " is in use by DB cluster(s) " + users + "; delete them first.");
        }
        if (!groups.delete(name)) {
            throw notFound(name);
        }
        return RdsXml.success(q.action(), requestId);
    }

    /** {@code raw} in lower case if it is a valid name; {@code InvalidParameterValue} otherwise. */
    static String name(String raw) {
        String name = raw.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(raw).matches() || name.equals("default") || name.equals(".") || name.equals("..")) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid DB subnet group name '" + raw
                    + "': use 1-255 letters, digits, spaces, periods, underscores and hyphens, other than"
                    + " \"default\".");
        }
        return name;
    }

    private static ApiException notFound(String name) {
        return new ApiException(RdsFault.DB_SUBNET_GROUP_NOT_FOUND, "DB subnet group " + name + " not found;"
                + " DescribeDBSubnetGroups lists the ones there are.");
    }

    private static void write(RdsXml.Element e, SubnetGroup g, String region) {
        e.text("DBSubnetGroupName", g.name())
                .text("DBSubnetGroupDescription", g.description())
                .text("SubnetGroupStatus", "Complete")
                .list("Subnets", "Subnet", g.subnets(), (s, subnet) -> s
                        .text("SubnetIdentifier", subnet.id())
                        .element("SubnetAvailabilityZone", az -> az.text("Name", subnet.availabilityZone()))
                        .text("SubnetStatus", "Active"))
                .text("DBSubnetGroupArn", arn(region, g.name()))
                .strings("SupportedNetworkTypes", "member", List.of("IPV4"));
    }
}
