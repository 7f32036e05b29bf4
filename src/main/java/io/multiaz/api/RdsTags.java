package io.multiaz.api;

import io.multiaz.store.Tags;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code AddTagsToResource}, {@code ListTagsForResource} and {@code RemoveTagsFromResource} on the
 * cluster's ARN ({@code arn:aws:rds:<region>:000000000000:cluster:<name>}) and its instances'
 * ({@code …:db:<name>}), with RDS's limits: at most {@value #MAX_TAGS} tags per resource, keys of
 * 1-128 and values of 0-256 Unicode letters, digits, spaces and {@code _ . : / = + - @}, keys not
 * starting with {@code aws:} or {@code rds:}. Tags live in the store under the resource names
 * {@code "cluster"} and {@code "db:<instance>"}. Stateless; safe for concurrent requests.
 */
final class RdsTags {
    static final int MAX_TAGS = 50;
    private static final int MAX_KEY = 128;
    private static final int MAX_VALUE = 256;
    private static final Pattern ARN = Pattern.compile("arn:aws:rds:([a-z0-9-]+):([0-9]{12}):([a-z-]+):(.+)");
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private final RdsBackend backend;
    private final Tags tags;

    RdsTags(RdsBackend backend, Tags tags) {
        this.backend = backend;
        this.tags = tags;
    }

    /** A resource the tags calls name: its cluster and the store's name for it. */
    record Resource(String cluster, String name) {
    }

    /**
     * The cluster and store name ({@code "cluster"} or {@code "db:<instance>"}) of the resource
     * {@code arn} names; the instance's cluster is the one it is a member of.
     */
    Resource resource(String arn) {
        String region = backend.region();
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The ARN " + arn + " is not valid: give a"
                    + " resource ARN such as " + RdsShapes.clusterArn(region, "my-cluster") + ".");
        }
        boolean here = m.group(1).equals(region) && m.group(2).equals(RdsShapes.ACCOUNT);
        String id = m.group(4);
        return switch (m.group(3)) {
            case "cluster" -> {
                if (!RdsChecks.isIdentifier(id, RdsChecks.MAX_IDENTIFIER)) {
                    throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The ARN " + arn + " is not valid: "
                            + id + " is not a DB cluster identifier (letters, digits and hyphens, starting with a letter).");
                }
                Optional<ClusterDescription> d = here ? backend.cluster(id.toLowerCase(Locale.ROOT)) : Optional.empty();
                if (d.isEmpty()) {
                    throw new ApiException(RdsFault.DB_CLUSTER_NOT_FOUND, "DBCluster " + arn + " not found.");
                }
                yield new Resource(d.get().name(), "cluster");
            }
            case "db" -> {
                String instance = id.toLowerCase(Locale.ROOT);
                Optional<ClusterDescription> d = here ? backend.clusters().stream()
                        .filter(c -> c.spec().instance(instance).isPresent()).findFirst() : Optional.empty();
                if (d.isEmpty()) {
                    throw new ApiException(RdsFault.DB_INSTANCE_NOT_FOUND, "DBInstance " + arn + " not found.");
                }
                yield new Resource(d.get().name(), "db:" + instance);
            }
            default -> throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "multiaz keeps tags on DB clusters"
                    + " (…:cluster:<name>) and DB instances (…:db:<name>) only, not on " + m.group(3) + " resources.");
        };
    }

    /** The tags of {@code q}'s {@code Tags}, checked; empty when it has none. */
    static Map<String, String> parse(QueryRequest q) {
        Map<String, String> tags = new LinkedHashMap<>();
        q.tags().forEach(t -> tags.put(checkKey(t.key()), checkValue(t.key(), t.value())));
        if (tags.size() > MAX_TAGS) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "A resource can have at most " + MAX_TAGS
                    + " tags; this gives " + tags.size() + ".");
        }
        return tags;
    }

    String list(QueryRequest q, String requestId) {
        Resource resource = resource(q.string("ResourceName"));
        if (!q.filters().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "ListTagsForResource does not support Filters"
                    + " (RDS does not either); call it without them.");
        }
        Map<String, String> listed = tags.get(resource.cluster(), resource.name());
        return RdsXml.success(q.action(), requestId, result -> RdsShapes.writeTags(result, listed));
    }

    String add(QueryRequest q, String requestId) {
        Resource resource = resource(q.string("ResourceName"));
        Map<String, String> added = new LinkedHashMap<>();
        q.tags().forEach(t -> added.put(checkKey(t.key()), checkValue(t.key(), t.value())));
        if (added.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_PARAMETER, "The parameter Tags must be provided and must not be"
                    + " empty, e.g. Tags.Tag.1.Key=env&Tags.Tag.1.Value=prod.");
        }
        tags.update(resource.cluster(), resource.name(), current -> {
            Map<String, String> next = new LinkedHashMap<>(current);
            next.putAll(added);
            if (next.size() > MAX_TAGS) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "A resource can have at most " + MAX_TAGS
                        + " tags; it has " + current.size() + " and this adds " + (next.size() - current.size())
                        + ". Remove some with RemoveTagsFromResource first.");
            }
            return next;
        });
        return RdsXml.success(q.action(), requestId);
    }

    String remove(QueryRequest q, String requestId) {
        Resource resource = resource(q.string("ResourceName"));
        List<String> keys = q.list("TagKeys", "member");
        if (keys.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_PARAMETER, "The parameter TagKeys must be provided and must not"
                    + " be empty, e.g. TagKeys.member.1=env.");
        }
        tags.update(resource.cluster(), resource.name(), current -> {
            Map<String, String> next = new LinkedHashMap<>(current);
            keys.forEach(next::remove);
            return next;
        });
        return RdsXml.success(q.action(), requestId);
    }

    private static String checkKey(String key) {
        if (key.length() > MAX_KEY || !TAG_TEXT.matcher(key).matches() || key.startsWith("aws:")
                || key.startsWith("rds:")) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid tag key '" + key + "': keys are 1-"
                    + MAX_KEY + " Unicode letters, digits, spaces and _ . : / = + - @, and must not start with aws:"
                    + " or rds:.");
        }
        return key;
    }

    private static String checkValue(String key, String value) {
        if (value.length() > MAX_VALUE || !TAG_TEXT.matcher(value).matches()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid value for tag " + key + ": values are"
                    + " 0-" + MAX_VALUE + " Unicode letters, digits, spaces and _ . : / = + - @.");
        }
        return value;
    }
}
