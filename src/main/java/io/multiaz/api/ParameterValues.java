package io.multiaz.api;

import io.multiaz.model.EngineParameter;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL parameters a DB cluster parameter group may set, and the checks of a value
 * against its parameter as PostgreSQL makes them: booleans in PostgreSQL's spellings, integers
 * within min-max (an integer with a unit such as {@code 64MB} or {@code 5min} is accepted as
 * PostgreSQL accepts it, its range then checked by the server), reals within min-max, enums among
 * their values (case-insensitive, as PostgreSQL; as one word when the values are unknown), strings
 * as they are.
 * Immutable; safe for concurrent use.
 */
final class ParameterValues {
    /** What multiaz sets itself on every server: replication, addresses, paths and WAL archiving. */
    static final Set<String> MANAGED = io.multiaz.engine.ManagedSettings.NAMES;
    private static final Set<String> BOOLEANS = Set.of("on", "off", "true", "false", "yes", "no", "1", "0", "t", "f",
            "y", "n");
    private static final Pattern INTEGER = Pattern.compile("([+-]?[0-9]+)\\s*(B|kB|MB|GB|TB|us|ms|s|min|h|d)?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.+-]+");

    private final Map<String, EngineParameter> byName = new TreeMap<>();

    /**
     * The parameters of a server, named in lower case as RDS lists them ({@code datestyle},
     * {@code timezone}; PostgreSQL takes names in any case, and the agents write them into
     * {@code postgresql.conf} only in lower case).
     */
    ParameterValues(List<EngineParameter> parameters) {
        // issue 21: DateStyle, IntervalStyle and TimeZone were looked up in lower case among names as
        // PostgreSQL spells them, and so refused as "not a PostgreSQL parameter"
        parameters.forEach(p -> {
            String name = p.name().toLowerCase(Locale.ROOT);
            byName.put(name, new EngineParameter(name, p.context(), p.category(), p.type(), p.defaultValue(), p.min(),
                    p.max(), p.description(), p.enumValues()));
        });
    }

    /** Every parameter of the server, by name. */
    List<EngineParameter> all() {
        return List.copyOf(byName.values());
    }

    Optional<EngineParameter> find(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether a group may set {@code p}: neither fixed at build time ({@code internal}) nor managed by multiaz. */
    static boolean isModifiable(EngineParameter p) {
        return !p.context().equals("internal") && !MANAGED.contains(p.name());
    }

    /** {@code name}'s parameter if a group may set it; {@code InvalidParameterValue} saying why not otherwise. */
    EngineParameter modifiable(String name) {
        EngineParameter p = find(name).orElseThrow(() -> invalid("Parameter " + name + " is not a PostgreSQL "
                + "parameter of this server; DescribeDBClusterParameters lists the ones there are."));
        if (MANAGED.contains(p.name())) {
            throw invalid("Parameter " + p.name() + " is managed by multiaz itself (replication, addresses, paths "
                    + "and WAL archiving) and cannot be set in a parameter group; leave it out.");
        }
        if (p.context().equals("internal")) {
            throw invalid("Parameter " + p.name() + " is fixed when PostgreSQL is built and cannot be modified.");
        }
        return p;
    }

    /**
     * Refuses {@code value} with {@code InvalidParameterValue} unless {@code p} accepts it. A value
     * of any type must also fit on one line of {@code postgresql.conf}, which the agents write it
     * into: no line break, NUL or other control character (the agents would refuse to apply it and
     * the servers would keep their old settings; issue 21).
     */
    static void check(EngineParameter p, String value) {
        RequestLimits.textProblem(value).ifPresent(problem -> {
            throw invalid("Invalid value for parameter " + p.name() + ": it " + problem + ". A PostgreSQL setting is"
                    + " one line of postgresql.conf; give the value without control characters or line breaks.");
        });
        boolean ok = switch (p.type()) {
            case "BOOLEAN" -> BOOLEANS.contains(value.trim().toLowerCase(Locale.ROOT));
            case "INTEGER" -> integer(p, value.trim());
            case "REAL" -> real(p, value.trim());
            case "ENUM" -> p.enumValues().isEmpty() ? WORD.matcher(value.trim()).matches()
                    : p.enumValues().stream().anyMatch(v -> v.equalsIgnoreCase(value.trim()));
            default -> true;
        };
        if (!ok) {
            throw invalid("Invalid value '" + value + "' for parameter " + p.name() + " (" + describe(p) + ").");
        }
    }

    /** RDS's {@code AllowedValues}: {@code min-max} of a number, {@code 0,1} of a boolean, an enum's values, else null. */
    static String allowedValues(EngineParameter p) {
        return switch (p.type()) {
            case "BOOLEAN" -> "0,1";
            case "INTEGER", "REAL" -> p.min().isEmpty() ? null : p.min() + "-" + p.max();
            case "ENUM" -> p.enumValues().isEmpty() ? null : String.join(",", p.enumValues());
            default -> null;
        };
    }

    /** RDS's {@code DataType}: {@code boolean}, {@code integer}, {@code float} or {@code string}. */
    static String dataType(EngineParameter p) {
        return switch (p.type()) {
            case "BOOLEAN" -> "boolean";
            case "INTEGER" -> "integer";
            case "REAL" -> "float";
            default -> "string";
        };
    }

    private static boolean integer(EngineParameter p, String value) {
        Matcher m = INTEGER.matcher(value);
        if (!m.matches()) {
            return false;
        }
        // with a unit the server converts it to the parameter's own unit, which --describe-config does not give
        return m.group(2) != null || within(p, new BigDecimal(m.group(1)));
    }

    private static boolean real(EngineParameter p, String value) {
        try {
            return within(p, new BigDecimal(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean within(EngineParameter p, BigDecimal v) {
        return (p.min().isEmpty() || v.compareTo(new BigDecimal(p.min())) >= 0)
                && (p.max().isEmpty() || v.compareTo(new BigDecimal(p.max())) <= 0);
    }

    private static String describe(EngineParameter p) {
        return switch (p.type()) {
            case "BOOLEAN" -> "a boolean: on, off, true, false, yes, no, 1 or 0";
            case "INTEGER" -> "an integer from " + p.min() + " to " + p.max() + ", or one with a unit such as 64MB";
            case "REAL" -> "a number from " + p.min() + " to " + p.max();
            case "ENUM" -> p.enumValues().isEmpty() ? "one of the values PostgreSQL lists for it, a single word"
                    : "one of " + String.join(", ", p.enumValues());
            default -> "a string";
        };
    }

    private static ApiException invalid(String message) {
        return new ApiException(RdsFault.INVALID_PARAMETER_VALUE, message);
    }
}
