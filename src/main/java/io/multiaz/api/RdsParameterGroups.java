package io.multiaz.api;

import io.multiaz.model.EngineParameter;
import io.multiaz.model.ParameterGroup;
import io.multiaz.model.ParameterGroup.ApplyMethod;
import io.multiaz.model.ParameterGroup.Setting;
import io.multiaz.store.Records;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The DB cluster parameter group actions: Create/Describe/Modify/Reset/Delete
 * DBClusterParameterGroup and DescribeDBClusterParameters. Groups are records in the store; the
 * servers do not use them yet. Names follow RDS's rules and are kept in lower case; the built-in
 * {@code default.postgres<major>} is listed but cannot be changed. A call's whole input is checked
 * before anything is written. Stateless; safe for concurrent requests.
 */
final class RdsParameterGroups {
    private static final Pattern NAME = Pattern.compile("[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,254}");
    private static final int DEFAULT_MAX_RECORDS = 100;
    private static final int MAX_PARAMETERS_PER_CALL = 20;
    private static final Set<String> SOURCES = Set.of("user", "engine-default", "system");

    private final RdsBackend backend;
    private final Records<ParameterGroup> groups;
    private final Clock clock;

    RdsParameterGroups(RdsBackend backend, Records<ParameterGroup> groups, Clock clock) {
        this.backend = backend;
        this.groups = groups;
        this.clock = clock;
    }

    static String arn(String region, String name) {
        return RdsShapes.arn(region, "cluster-pg", name);
    }

    String create(QueryRequest q, String requestId) {
        String name = name(q.string("DBClusterParameterGroupName"));
        String family = q.string("DBParameterGroupFamily");
        String description = q.string("Description");
        String version = backend.engineVersion();
        if (!family.equals(family(version))) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "DBParameterGroupFamily " + family + " is not"
                    + " supported: the installed server is PostgreSQL " + version + ", family "
                    + family(version) + ".");
        }
        if (!q.tags().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "multiaz keeps no tags on DB cluster parameter"
                    + " groups yet; create the group without Tags.");
        }
        ParameterGroup group = new ParameterGroup(name, family, description, Map.of(), clock.instant());
        if (!groups.create(name, group)) {
            throw new ApiException(RdsFault.DB_PARAMETER_GROUP_ALREADY_EXISTS, "The DB cluster parameter group "
                    + name + " already exists; pick another name or delete it first.");
        }
        return RdsXml.success(q.action(), requestId, result -> result.element("DBClusterParameterGroup",
                e -> write(e, group, backend.region())));
    }

    String describe(QueryRequest q, String requestId) {
        int offset = RdsActions.page(q);
        int max = q.optionalInteger("MaxRecords").orElse(DEFAULT_MAX_RECORDS);
        noFilters(q);
        String version = backend.engineVersion();
        Optional<String> wanted = q.optionalString("DBClusterParameterGroupName");
        List<ParameterGroup> listed;
        if (wanted.isPresent()) {
            listed = List.of(group(wanted.get()));
        } else {
            listed = new ArrayList<>();
            listed.add(builtIn(version));
            listed.addAll(groups.list());
        }
        int from = Math.min(offset, listed.size());
        int to = Math.min(from + max, listed.size());
        List<ParameterGroup> page = listed.subList(from, to);
        String next = to < listed.size() ? Integer.toString(to) : null;
        return RdsXml.success(q.action(), requestId, result -> result
                .text("Marker", next)
                .list("DBClusterParameterGroups", "DBClusterParameterGroup", page, (e, g) -> write(e, g, backend.region())));
    }

    String modify(QueryRequest q, String requestId) {
        String name = changeable(q);
        ParameterValues values = new ParameterValues(backend.engineParameters());
        Map<String, Setting> changes = new LinkedHashMap<>();
        for (Map<String, String> p : parameters(q, true)) {
            EngineParameter parameter = values.modifiable(required(p, "ParameterName"));
            String value = required(p, "ParameterValue");
            ParameterValues.check(parameter, value);
            backend.parameterValueRefusal(parameter.name(), value.trim()).ifPresent(refusal -> {
                throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "PostgreSQL refuses value " + value.trim()
                        + " for parameter " + parameter.name() + ": " + refusal + " Give a value it takes.");
            });
            ApplyMethod method = applyMethod(p, parameter);
            if (method == ApplyMethod.IMMEDIATE && parameter.isStatic()) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_COMBINATION, "cannot use immediate apply method "
                        + "for static parameter " + parameter.name() + "; use ApplyMethod pending-reboot.");
            }
            if (changes.put(parameter.name(), new Setting(value.trim(), method)) != null) {
                throw new ApiException(RdsFault.INVALID_PARAMETER_COMBINATION, "Parameter " + parameter.name()
                        + " is given twice; give each parameter once per call.");
            }
        }
        update(name, g -> {
            Map<String, Setting> after = new HashMap<>(g.parameters());
            after.putAll(changes);
            return g.withParameters(after);
        });
        return nameResult(q, requestId, name);
    }

    String reset(QueryRequest q, String requestId) {
        String name = changeable(q);
        boolean all = q.optionalBool("ResetAllParameters").orElse(false);
        List<Map<String, String>> listed = parameters(q, false);
        if (all == !listed.isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_COMBINATION, "Give either ResetAllParameters=true or"
                    + " a list of Parameters to reset, not " + (all ? "both." : "neither."));
        }
        ParameterValues values = new ParameterValues(backend.engineParameters());
        List<String> names = new ArrayList<>();
        for (Map<String, String> p : listed) {
            names.add(values.modifiable(required(p, "ParameterName")).name());
        }
        update(name, g -> {
            Map<String, Setting> after = new HashMap<>(g.parameters());
            if (all) {
                after.clear();
            }
            names.forEach(after::remove);
            return g.withParameters(after);
        });
        return nameResult(q, requestId, name);
    }

    String delete(QueryRequest q, String requestId) {
        String name = changeable(q);
        List<String> users = backend.clusters().stream().filter(c -> name.equals(c.spec().rds().parameterGroup()))
                .map(ClusterDescription::name).toList();
        if (!users.isEmpty()) {
            throw new ApiException(RdsFault.INVALID_DB_PARAMETER_GROUP_STATE, "The DB cluster parameter group " + name
                    + " is in use by DB cluster(s) " + users + "; give them another group with ModifyDBCluster first.");
        }
        if (!groups.delete(name)) {
            throw notFound(name);
        }
        return RdsXml.success(q.action(), requestId);
    }

    String describeParameters(QueryRequest q, String requestId) {
        int offset = RdsActions.page(q);
        int max = q.optionalInteger("MaxRecords").orElse(DEFAULT_MAX_RECORDS);
        noFilters(q);
        Optional<String> source = q.optionalString("Source");
        if (source.isPresent() && !SOURCES.contains(source.get())) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid Source " + source.get()
                    + "; use one of user, engine-default, system.");
        }
        ParameterGroup group = group(q.string("DBClusterParameterGroupName"));
        List<EngineParameter> shown = new ParameterValues(backend.engineParameters()).all().stream()
                .filter(p -> source.isEmpty() || source.get().equals(source(p, group)))
                .toList();
        int from = Math.min(offset, shown.size());
        int to = Math.min(from + max, shown.size());
        List<EngineParameter> page = shown.subList(from, to);
        String next = to < shown.size() ? Integer.toString(to) : null;
        return RdsXml.success(q.action(), requestId, result -> result
                .list("Parameters", "Parameter", page, (e, p) -> writeParameter(e, p, group))
                .text("Marker", next));
    }

    /** {@code raw} in lower case if it is a valid name; {@code InvalidParameterValue} otherwise. */
    static String name(String raw) {
        if (!NAME.matcher(raw).matches() || raw.endsWith("-")) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid DB cluster parameter group name '"
                    + raw + "': use 1-255 letters, digits and hyphens, starting with a letter, with no two hyphens"
                    + " in a row and none at the end.");
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    private static String family(String engineVersion) {
        return RdsShapes.ENGINE + RdsShapes.majorVersion(engineVersion);
    }

    private static ParameterGroup builtIn(String engineVersion) {
        return new ParameterGroup("default." + family(engineVersion), family(engineVersion),
                "Default cluster parameter group for " + family(engineVersion), Map.of(), Instant.EPOCH);
    }

    /**
     * The group {@code raw} names, the built-in one included; {@code DBParameterGroupNotFound}
     * ({@code DBClusterParameterGroupNotFound} as CreateDBCluster says it) otherwise.
     */
    ParameterGroup group(String raw) {
        ParameterGroup builtIn = builtIn(backend.engineVersion());
        if (raw.equalsIgnoreCase(builtIn.name())) {
            return builtIn;
        }
        return groups.get(name(raw)).orElseThrow(() -> notFound(raw));
    }

    /** The name of the group a Modify/Reset/Delete call changes, refused for the built-in group. */
    private String changeable(QueryRequest q) {
        String raw = q.string("DBClusterParameterGroupName");
        if (raw.equalsIgnoreCase(builtIn(backend.engineVersion()).name())) {
            throw new ApiException(RdsFault.INVALID_DB_PARAMETER_GROUP_STATE, "Default parameter group " + raw
                    + " cannot be modified or deleted; create your own group with CreateDBClusterParameterGroup.");
        }
        return name(raw);
    }

    private void update(String name, java.util.function.UnaryOperator<ParameterGroup> change) {
        if (groups.update(name, change).isEmpty()) {
            throw notFound(name);
        }
    }

    private static List<Map<String, String>> parameters(QueryRequest q, boolean required) {
        List<Map<String, String>> listed = q.structList("Parameters", "Parameter");
        if (required && listed.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_PARAMETER, "The parameter Parameters must be provided, e.g."
                    + " Parameters.Parameter.1.ParameterName=work_mem, …ParameterValue=8192, …ApplyMethod=immediate.");
        }
        if (listed.size() > MAX_PARAMETERS_PER_CALL) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "At most " + MAX_PARAMETERS_PER_CALL
                    + " parameters can be changed in one call, got " + listed.size() + "; split them over calls.");
        }
        return listed;
    }

    private static String required(Map<String, String> parameter, String field) {
        String value = parameter.get(field);
        if (value == null || (field.equals("ParameterName") && value.isBlank())) {
            throw new ApiException(RdsFault.MISSING_PARAMETER, "Each of Parameters needs " + field + "; got "
                    + parameter.keySet() + ".");
        }
        return value;
    }

    /** The call's ApplyMethod, or what RDS takes without one: immediate when dynamic, pending-reboot when static. */
    private static ApplyMethod applyMethod(Map<String, String> parameter, EngineParameter p) {
        String raw = parameter.get("ApplyMethod");
        if (raw == null) {
            return p.isStatic() ? ApplyMethod.PENDING_REBOOT : ApplyMethod.IMMEDIATE;
        }
        for (ApplyMethod m : ApplyMethod.values()) {
            if (m.wire().equals(raw)) {
                return m;
            }
        }
        throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid ApplyMethod " + raw + " for parameter "
                + p.name() + "; use immediate or pending-reboot.");
    }

    private static String source(EngineParameter p, ParameterGroup g) {
        if (g.parameters().containsKey(p.name())) {
            return "user";
        }
        return ParameterValues.isModifiable(p) ? "engine-default" : "system";
    }

    private static void noFilters(QueryRequest q) {
        if (!q.filters().isEmpty()) {
            throw new ApiException(RdsFault.INVALID_PARAMETER_VALUE, q.action() + " does not support Filters in"
                    + " multiaz yet; call it without them.");
        }
    }

    private String nameResult(QueryRequest q, String requestId, String name) {
        return RdsXml.success(q.action(), requestId, result -> result.text("DBClusterParameterGroupName", name));
    }

    private static ApiException notFound(String name) {
        return new ApiException(RdsFault.DB_PARAMETER_GROUP_NOT_FOUND, "DBClusterParameterGroup " + name
                + " not found; DescribeDBClusterParameterGroups lists the ones there are.");
    }

    private static void write(RdsXml.Element e, ParameterGroup g, String region) {
        e.text("DBClusterParameterGroupName", g.name())
                .text("DBParameterGroupFamily", g.family())
                .text("Description", g.description())
                .text("DBClusterParameterGroupArn", arn(region, g.name()));
    }

    private static void writeParameter(RdsXml.Element e, EngineParameter p, ParameterGroup g) {
        Setting set = g.parameters().get(p.name());
        e.text("ParameterName", p.name())
                .text("ParameterValue", set == null ? null : set.value())
                .text("Description", p.description())
                .text("Source", source(p, g))
                .text("ApplyType", p.isStatic() ? "static" : "dynamic")
                .text("DataType", ParameterValues.dataType(p))
                .text("AllowedValues", ParameterValues.allowedValues(p))
                .bool("IsModifiable", ParameterValues.isModifiable(p))
                .text("ApplyMethod", (set != null ? set.applyMethod()
                        : p.isStatic() ? ApplyMethod.PENDING_REBOOT : ApplyMethod.IMMEDIATE).wire());
    }
}
