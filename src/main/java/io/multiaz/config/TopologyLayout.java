package io.multiaz.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the zones of a deployment run: {@code local} (every zone on this host's loopback, the
 * default) or {@code netns} (each zone a Linux network namespace of its own, a host of its own as
 * far as the network goes, joined by a bridge in the root namespace). The names and addresses are
 * derived from the state dir and the base port, so they are stable: the fault harness
 * (bench/chaos) and docs/TOPOLOGY.md rely on them.
 *
 * @param kind       {@code local} or {@code netns}
 * @param network    netns: the deployment's /24 of 198.18.0.0/15 ({@code 198.18.<(base/10) mod 256>.0/24}); the
 *                   bridge has {@code .1}, zone i (0-based) {@code .(11+i)}; null for local
 * @param bridge     netns: the bridge in the root namespace ({@code mazb<hash6>}); null for local
 * @param namespaces netns: zone → network namespace ({@code maz<hash6>-<az>}); empty for local
 */
public record TopologyLayout(String kind, String network, String bridge, Map<String, String> namespaces) {
    public static final String LOCAL = "local";
    public static final String NETNS = "netns";
    public static final List<String> KINDS = List.of(LOCAL, NETNS);

    public TopologyLayout {
        kind = kind == null ? LOCAL : kind;
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("topology must be one of " + KINDS + ", got " + kind);
        }
        namespaces = namespaces == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(namespaces));
        if (kind.equals(NETNS)) {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
            if (namespaces.isEmpty()) {
                throw new IllegalArgumentException("a netns topology needs a namespace per zone");
            }
        }
    }

    /** Today's layout: every zone on this host's loopback. */
    public static TopologyLayout local() {
        return new TopologyLayout(LOCAL, null, null, Map.of());
    }

    /** The netns topology of state dir {@code stateDir} with ports from {@code basePort}, one namespace per zone. */
    public static TopologyLayout netns(Path stateDir, int basePort, List<String> zones) {
        String hash = hash6(stateDir);
        Map<String, String> namespaces = new LinkedHashMap<>();
        zones.forEach(az -> namespaces.put(az, "maz" + hash + "-" + az));
        return new TopologyLayout(NETNS, network(basePort), "mazb" + hash, namespaces);
    }

    public boolean isNetns() {
        return kind.equals(NETNS);
    }

    /**
     * Six hex digits of the SHA-256 of the state dir's absolute path: what the bridge, namespace and
     * veth names carry, so two state dirs get different names (and the names fit Linux's 15
     * characters for links).
     */
    public static String hash6(Path stateDir) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    stateDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** {@code 198.18.<(basePort / 10) mod 256>.0/24}: picked by the base port, as the endpoint block is. */
    public static String network(int basePort) {
        return "198.18." + ((basePort / 10) % 256) + ".0/24";
    }

    /** The first three octets of {@link #network} with a trailing dot ("198.18.54."). */
    private String prefix() {
        return network.substring(0, network.lastIndexOf('.') + 1);
    }

    /** netns: the bridge's address in the root namespace, every namespace's default gateway ({@code .1}). */
    public String gateway() {
        return prefix() + "1";
    }

    /** netns: the address of the zone at {@code index} (0-based) in its namespace: {@code .11}, {@code .12}, … */
    public String zoneAddress(int index) {
        if (index < 0 || index > 200) {
            throw new IllegalArgumentException("zone index must be 0-200, got " + index);
        }
        return prefix() + (11 + index);
    }

    /** netns: the root-namespace end of zone {@code az}'s veth pair, attached to the bridge ({@code mazv<hash6><letter>}). */
    public String vethRoot(String az) {
        return "mazv" + bridge.substring(4) + letter(az);
    }

    /** netns: the end of zone {@code az}'s veth pair inside its namespace ({@code mazp<hash6><letter>}). */
    public String vethPeer(String az) {
        return "mazp" + bridge.substring(4) + letter(az);
    }

    /** The last character of the zone name ("az-b" → "b"), or its index among the namespaces. */
    private String letter(String az) {
        if (!namespaces.containsKey(az)) {
            throw new IllegalArgumentException("zone " + az + " has no namespace in this topology: " + namespaces.keySet());
        }
        char c = az.charAt(az.length() - 1);
        return Character.isLetterOrDigit(c) ? String.valueOf(Character.toLowerCase(c))
                : Integer.toString(List.copyOf(namespaces.keySet()).indexOf(az));
    }

    /** The networks PostgreSQL admits clients from (pg_hba): loopback, and in netns the deployment's /24. */
    public List<String> allowedNetworks() {
        return isNetns() ? List.of(network, "127.0.0.1/32") : List.of("127.0.0.1/32");
    }
}
