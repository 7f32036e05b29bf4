package io.multiaz.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DB instance classes multiaz offers and what each means for its PostgreSQL server: the
 * memory and vCPUs RDS gives the class, and the server settings RDS derives from that memory with
 * the formulas of its default parameter group ({@code DBInstanceClassMemory} in bytes):
 * <ul>
 *   <li>{@code shared_buffers} = {@code {DBInstanceClassMemory/32768}} pages of 8 kB (a quarter of memory)</li>
 *   <li>{@code effective_cache_size} = {@code {DBInstanceClassMemory/16384}} pages (half of memory)</li>
 *   <li>{@code max_connections} = {@code LEAST({DBInstanceClassMemory/9531392}, 5000)}</li>
 *   <li>{@code maintenance_work_mem} = {@code GREATEST({DBInstanceClassMemory*1024/63963136}, 65536)} kB</li>
 * </ul>
 * multiaz does not reserve the memory (a local deployment shares one machine): the class sizes
 * the server as RDS would, so a runbook's capacity math holds. Classes: the burstable {@code db.t3}
 * and {@code db.t4g} sizes for development (the demo cluster is {@value #DEFAULT}), and the Multi-AZ
 * DB cluster families
 * {@code db.m5d}, {@code db.m6gd}, {@code db.m6id}, {@code db.r5d}, {@code db.r6gd}, {@code db.r6id}.
 */
public final class InstanceClasses {
    /** What a class is: memory in GiB and vCPUs. */
    public record InstanceClass(String name, double memoryGib, int vcpus) {
        public long memoryBytes() {
            return (long) (memoryGib * 1024 * 1024 * 1024);
        }
    }

    /** The class of clusters made without one: the demo of {@code multiaz up}, small enough for a laptop. */
    public static final String DEFAULT = "db.t3.micro";

    private static final Map<String, InstanceClass> CLASSES = new LinkedHashMap<>();

    static {
        add("db.t3.micro", 1, 2);
        add("db.t3.small", 2, 2);
        add("db.t3.medium", 4, 2);
        add("db.t4g.micro", 1, 2);
        add("db.t4g.small", 2, 2);
        add("db.t4g.medium", 4, 2);
        for (String family : List.of("db.m5d", "db.m6gd", "db.m6id")) {
            add(family + ".large", 8, 2);
            add(family + ".xlarge", 16, 4);
            add(family + ".2xlarge", 32, 8);
            add(family + ".4xlarge", 64, 16);
        }
        for (String family : List.of("db.r5d", "db.r6gd", "db.r6id")) {
            add(family + ".large", 16, 2);
            add(family + ".xlarge", 32, 4);
            add(family + ".2xlarge", 64, 8);
            add(family + ".4xlarge", 128, 16);
        }
    }

    private InstanceClasses() {
    }

    private static void add(String name, double memoryGib, int vcpus) {
        CLASSES.put(name, new InstanceClass(name, memoryGib, vcpus));
    }

    public static Optional<InstanceClass> find(String name) {
        return Optional.ofNullable(name == null ? null : CLASSES.get(name));
    }

    /** Every class, in the order above. */
    public static List<InstanceClass> all() {
        return List.copyOf(CLASSES.values());
    }

    /** {@code name}, or an InvalidParameterValue naming the classes there are. */
    public static InstanceClass require(String name, String parameter) {
        return find(name).orElseThrow(() -> new ApiException(RdsFault.INVALID_PARAMETER_VALUE, "Invalid "
                + parameter + " " + name + ": multiaz offers " + String.join(", ", CLASSES.keySet())
                + " (see DescribeOrderableDBInstanceOptions)."));
    }

    /** The server settings of class {@code name} (the default class when unknown), by the formulas above. */
    public static Map<String, String> serverSettings(String name) {
        InstanceClass c = find(name).orElse(CLASSES.get(DEFAULT));
        long memory = c.memoryBytes();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("shared_buffers", Long.toString(memory / 32768));
        s.put("effective_cache_size", Long.toString(memory / 16384));
        s.put("max_connections", Long.toString(Math.min(memory / 9531392, 5000)));
        s.put("maintenance_work_mem", Long.toString(Math.max(memory * 1024 / 63963136, 65536)));
        return s;
    }
}
