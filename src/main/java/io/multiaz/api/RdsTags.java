package io.multiaz.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    RdsTags(RdsBackend backend) {
        this.backend = backend;
    }

    /** The store's name of the resource {@code arn} names in {@code d}: {@code "cluster"} or {@code "db:<instance>"}. */
    static String resource(ClusterDescription d, String arn) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The ARN " + arn + " is not valid: give a"
                    + " resource ARN such as " + RdsShapes.clusterArn(d.region(), d.name()) + ".");
        }
        boolean here = m.group(1).equals(d.region()) && m.group(2).equals(RdsShapes.ACCOUNT);
        String id = m.group(4);
        return switch (m.group(3)) {
            case "cluster" -> {
                if (!here || !id.equalsIgnoreCase(d.name())) {
                    throw new ApiException(RdsFault.DB_CLUSTER_NOT_FOUND, "DBCluster " + arn + " not found.");
                }
                yield "cluster";
            }
            case "db" -> {
                if (!here || d.spec().instance(id).isEmpty()) {
                    throw new ApiException(RdsFault.DB_INSTANCE_NOT_FOUND, "DBInstance " + arn + " not found.");
                }
                yield "db:" + id;
            }
            default -> throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "multiaz keeps tags on DB clusters"
                    + " (…:cluster:<name>) and DB instances (…:db:<name>) only, not on " + m.group(3) + " resources.");
        };
    }

    String list(QueryRequest q, String requestId) {
        ClusterDescription d = backend.describe();
        String resource = resource(d, q.string("ResourceName"));
        if (!q.filters().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "ListTagsForResource does not support Filters"
                    + " (RDS does not either); call it without them.");
        }
        Map<String, String> tags = backend.tags(d.name(), resource);
        return RdsXml.success(q.action(), requestId, result -> RdsShapes.writeTags(result, tags));
    }

    String add(QueryRequest q, String requestId) {
        ClusterDescription d = backend.describe();
        String resource = resource(d, q.string("ResourceName"));
        Map<String, String> added = new LinkedHashMap<>();
        q.tags().forEach(t -> added.put(checkKey(t.key()), checkValue(t.key(), t.value())));
        if (added.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_PARAMETER, "The parameter Tags must be provided and must not be"
                    + " empty, e.g. Tags.Tag.1.Key=env&Tags.Tag.1.Value=prod.");
        }
        backend.updateTags(d.name(), resource, current -> {
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
        ClusterDescription d = backend.describe();
        String resource = resource(d, q.string("ResourceName"));
        List<String> keys = q.list("TagKeys", "member");
        if (keys.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_PARAMETER, "The parameter TagKeys must be provided and must not"
                    + " be empty, e.g. TagKeys.member.1=env.");
        }
        backend.updateTags(d.name(), resource, current -> {
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
