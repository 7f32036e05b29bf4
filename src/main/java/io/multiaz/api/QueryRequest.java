package io.multiaz.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One call of the RDS Query protocol (API version {@value #VERSION}): the {@code Action} and its
 * parameters, read from the query string and, for a POST, from the form-encoded body, as the AWS
 * CLI and SDKs send them. Typed accessors throw {@link ApiException}s in RDS's words
 * ({@code MissingParameter}, {@code InvalidParameterValue}); lists arrive flattened as the service
 * model names their members, e.g. {@code AvailabilityZones.AvailabilityZone.1},
 * {@code Tags.Tag.1.Key}, {@code Filters.Filter.1.Values.Value.1} or, for lists without a member
 * name, {@code TagKeys.member.1}. Immutable.
 */
public final class QueryRequest {
    /** The only API version RDS has, and so the only one multiaz accepts. */
    public static final String VERSION = "2014-10-31";

    private static final Set<String> AUTH_PARAMS = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
            "X-Amz-SignedHeaders", "X-Amz-Date", "X-Amz-Expires", "X-Amz-Security-Token");
    private static final Pattern INDEX = Pattern.compile("([1-9][0-9]{0,8})(?:\\.(.+))?");

    private final String action;
    private final Map<String, String> parameters;

    private QueryRequest(String action, Map<String, String> parameters) {
        this.action = action;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A request for {@code action} with the given (already decoded) parameters. */
    public static QueryRequest of(String action, Map<String, String> parameters) {
        Objects.requireNonNull(action, "action");
        return new QueryRequest(action, parameters);
    }

    /**
     * Reads the call out of {@code request}: the query string, plus the body of a POST (which must
     * be {@code application/x-www-form-urlencoded}, the default when no Content-Type is sent).
     * Signature parameters ({@code X-Amz-*}) are left out. Throws {@code MissingAction} without
     * an Action and {@code InvalidAction} for a Version other than {@value #VERSION} or an Action
     * not in {@code actions}, with AWS's message; and checks the {@link RequestLimits#DEFAULTS}.
     */
    public static QueryRequest parse(RawRequest request, Set<String> actions) {
        return parse(request, actions, RequestLimits.DEFAULTS);
    }

    /**
     * As {@link #parse(RawRequest, Set)}, within {@code limits}: the number of pairs is checked
     * before anything is decoded, every name and value once the action is known (a call of an
     * unknown action answers {@code InvalidAction} whatever its parameters).
     */
    public static QueryRequest parse(RawRequest request, Set<String> actions, RequestLimits limits) {
        boolean formBody = request.method().equals("POST") && request.body().length > 0;
        limits.checkCount(request.rawQuery(), formBody ? request.body() : new byte[0]);
        Map<String, String> params = new LinkedHashMap<>();
        for (FormCodec.Param param : FormCodec.decode(request.rawQuery(), "query string")) {
            if (!AUTH_PARAMS.contains(param.name())) {
                putOnce(params, param);
            }
        }
        if (formBody) {
            checkFormContentType(request.headers());
            FormCodec.decode(request.body(), "request body").forEach(param -> putOnce(params, param));
        }
        QueryRequest q = parsed(params, actions);
        q.parameters.forEach(limits::checkParameter);
        return q;
    }

    private static QueryRequest parsed(Map<String, String> params, Set<String> actions) {
        String action = params.remove("Action");
        if (action == null || action.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_ACTION, "Missing Action: the request must contain the"
                    + " parameter Action, e.g. Action=DescribeDBClusters&Version=" + VERSION + ".");
        }
        String version = params.remove("Version");
        if (version == null || version.isEmpty()) {
            throw new ApiException(RdsFault.INVALID_ACTION, "Could not find operation " + action
                    + " for version NO_VERSION_SPECIFIED. Send Version=" + VERSION + ".");
        }
        if (!version.equals(VERSION)) {
            throw new ApiException(RdsFault.INVALID_ACTION, "Could not find operation " + action + " for version "
                    + version + ". The RDS API has version " + VERSION + " only.");
        }
        if (!actions.contains(action)) {
            throw new ApiException(RdsFault.INVALID_ACTION, "Could not find operation " + action + " for version "
                    + VERSION + ". Actions multiaz answers: "
                    + actions.stream().sorted().collect(Collectors.joining(", ")) + ".");
        }
        return new QueryRequest(action, params);
    }

    public String action() {
        return action;
    }

    /** Every parameter but Action and Version, decoded, in the order received. */
    public Map<String, String> parameters() {
        return parameters;
    }

    public boolean has(String name) {
        return parameters.containsKey(name);
    }

    /** The value of a required parameter; {@code MissingParameter} when absent or blank. */
    public String string(String name) {
        return optionalString(name).orElseThrow(() -> missing(name));
    }

    /** The value of an optional parameter; blank counts as absent, as RDS treats it. */
    public Optional<String> optionalString(String name) {
        String value = parameters.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A required integer; {@code InvalidParameterValue} when it is not one. */
    public int integer(String name) {
        return parseInt(name, string(name));
    }

    public OptionalInt optionalInteger(String name) {
        Optional<String> value = optionalString(name);
        return value.isEmpty() ? OptionalInt.empty() : OptionalInt.of(parseInt(name, value.get()));
    }

    /** A required boolean, {@code true} or {@code false} in any case. */
    public boolean bool(String name) {
        return parseBool(name, string(name));
    }

    public Optional<Boolean> optionalBool(String name) {
        return optionalString(name).map(value -> parseBool(name, value));
    }

    /**
     * The list {@code prefix.memberName.N} in index order, e.g. {@code list("AvailabilityZones",
     * "AvailabilityZone")}; empty when absent (the CLI sends {@code prefix=} for an empty list).
     */
    public List<String> list(String prefix, String memberName) {
        return list(parameters, prefix, memberName);
    }

    /**
     * The list of structures {@code prefix.memberName.N.field} in index order, each a map from the
     * field path after the index to its value, e.g. {@code structList("Tags", "Tag")} gives
     * {@code [{Key=env, Value=prod}]} and a filter gives {@code {Name=engine, Values.Value.1=postgres}}.
     */
    public List<Map<String, String>> structList(String prefix, String memberName) {
        return new ArrayList<>(indexed(parameters, prefix + "." + memberName, true).values());
    }

    /** {@code Filters.Filter.N.Name} and {@code Filters.Filter.N.Values.Value.M}, as the describe actions take them. */
    public List<Filter> filters() {
        List<Filter> filters = new ArrayList<>();
        List<Map<String, String>> structs = structList("Filters", "Filter");
        for (int i = 0; i < structs.size(); i++) {
            Map<String, String> struct = structs.get(i);
            String name = struct.get("Name");
            if (name == null || name.isBlank()) {
                throw missing("Filters.Filter." + (i + 1) + ".Name");
            }
            filters.add(new Filter(name, list(struct, "Values", "Value")));
        }
        return filters;
    }

    /** {@code Tags.Tag.N.Key} and {@code .Value}; a tag without a value has the value "". */
    public List<Tag> tags() {
        List<Tag> tags = new ArrayList<>();
        List<Map<String, String>> structs = structList("Tags", "Tag");
        for (int i = 0; i < structs.size(); i++) {
            String key = structs.get(i).get("Key");
            if (key == null || key.isBlank()) {
                throw missing("Tags.Tag." + (i + 1) + ".Key");
            }
            tags.add(new Tag(key, structs.get(i).getOrDefault("Value", "")));
        }
        return tags;
    }

    @Override
    public String toString() {
        return action + " " + parameters.keySet();
    }

    /** A describe filter: the name and the values it matches (any of them). */
    public record Filter(String name, List<String> values) {
        public Filter {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }
    }

    /** A resource tag. */
    public record Tag(String key, String value) {
        public Tag {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    private static List<String> list(Map<String, String> source, String prefix, String memberName) {
        List<String> values = new ArrayList<>();
        indexed(source, prefix + "." + memberName, false).values().forEach(m -> values.add(m.get("")));
        return values;
    }

    /**
     * Groups the parameters {@code base.N} (scalars, under key "") or {@code base.N.field}
     * (structures) by N, in numeric order; an index that is not a positive number is an
     * {@code InvalidParameterValue}.
     */
    private static SortedMap<Integer, Map<String, String>> indexed(Map<String, String> source, String base,
                                                                   boolean structures) {
        SortedMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        String start = base + ".";
        source.forEach((name, value) -> {
            if (!name.startsWith(start)) {
                return;
            }
            Matcher m = INDEX.matcher(name.substring(start.length()));
            if (!m.matches() || (m.group(2) != null) != structures) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The parameter " + name + " is not a"
                        + " list member: use " + start + "1" + (structures ? ".<field>" : "") + ", "
                        + start + "2" + (structures ? ".<field>" : "") + ", ...");
            }
            byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new LinkedHashMap<>())
                    .put(structures ? m.group(2) : "", value);
        });
        return byIndex;
    }

    private static void putOnce(Map<String, String> params, FormCodec.Param param) {
        if (params.putIfAbsent(param.name(), param.value()) != null) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "The parameter " + param.name()
                    + " is given more than once. Send each parameter once.");
        }
    }

    private static void checkFormContentType(Headers headers) {
        Optional<String> contentType = headers.first("Content-Type");
        if (contentType.isPresent()) {
            String mediaType = contentType.get().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!mediaType.equals("application/x-www-form-urlencoded")) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Content-Type " + contentType.get()
                        + " is not supported: send the parameters form-encoded"
                        + " (application/x-www-form-urlencoded; charset=utf-8), as the AWS CLI does.");
            }
        }
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid value '" + value + "' for parameter "
                    + name + ": it must be an integer.");
        }
    }

    private static boolean parseBool(String name, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid value '" + value + "' for parameter "
                + name + ": it must be true or false.");
    }

    private static ApiException missing(String name) {
        return new ApiException(RdsFault.MISSING_PARAMETER, "The parameter " + name + " must be provided and must not be blank.");
    }
}
