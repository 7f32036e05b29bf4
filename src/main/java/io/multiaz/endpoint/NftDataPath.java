package io.multiaz.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The kernel data path: one nftables table per state dir DNATs each endpoint address to its
 * member(s), so the steady-state path never passes through user space (as kube-proxy implements
 * Services). Each update is one {@code nft -f} transaction that flushes and refills the table's
 * chains; named counters (connections accepted and refused per endpoint) survive updates.
 *
 * <p>While the writer endpoint holds (a switchover or failover has no writer yet) its rule points
 * at a Netty listener ({@code holdListen}) that holds new connections and, once the next writer is
 * known, relays them to it; then the rule points straight at the new writer. When the writer
 * endpoint leaves a member, the kernel forgets that member's NAT entries (conntrack), so no client
 * keeps a connection to a demoted writer through the endpoint, and aborts the client sockets of
 * those connections that live in this network namespace (as the clients of the root namespace do
 * in the netns topology), so a client blocked on a writer that was cut off fails at once and
 * reconnects instead of waiting out its retransmissions.
 *
 * <p>{@link #close()} releases the hold listener but leaves the table: clients keep being routed
 * while another agent takes over the endpoints; {@code multiaz down} removes the table.
 *
 * <p>Thread safety: {@link #apply} and {@link #close} from one thread; {@link #counters} from any.
 */
public final class NftDataPath implements DataPath {
    private static final Logger LOG = LoggerFactory.getLogger(NftDataPath.class);

    private final String table;
    private final DataPath holdProxy;
    private final InetSocketAddress holdListen;
    private volatile Map<String, String> counterNames = Map.of();
    private List<InetSocketAddress> lastWriters = List.of();

    /**
     * @param table      the table's name ({@link Nft#tableName})
     * @param holdProxy  the Netty proxy that holds writer connections; given one route, "writer" on {@code holdListen}
     * @param holdListen where the hold listener listens (loopback, the agent's proxy port)
     */
    public NftDataPath(String table, DataPath holdProxy, InetSocketAddress holdListen) {
        this.table = Objects.requireNonNull(table, "table");
        this.holdProxy = Objects.requireNonNull(holdProxy, "holdProxy");
        this.holdListen = Objects.requireNonNull(holdListen, "holdListen");
    }

    @Override
    public String name() {
        return "nftables";
    }

    public String table() {
        return table;
    }

    @Override
    public void apply(List<Route> routes) {
        // the hold listener mirrors the writer endpoint, so held connections are released to the
        // new writer before the kernel rule points at it directly
        routes.stream().filter(r -> r.endpoint().equals("writer")).findFirst().ifPresent(w ->
                holdProxy.apply(List.of(new Route("writer", holdListen, w.targets(), w.hold(), w.allowedCidrs()))));
        Nft.apply(render(table, routes, holdListen));
        Map<String, String> names = new HashMap<>();
        routes.forEach(r -> names.put(counterPrefix(r.endpoint()), r.endpoint()));
        counterNames = Map.copyOf(names);
        forgetLeftWriters(routes);
    }

    /**
     * Drops the NAT state of connections through the writer endpoint to a writer it no longer
     * routes to, once it routes to <em>another</em> member (a hold in between included): that
     * writer has been stopped or fenced by then. Not while the endpoint only holds: the old writer
     * still serves until it stops, and its shutdown ends its sessions with a FIN the client must
     * see, which needs the NAT state (without it the client waits for its socket timeout). Reader
     * connections are left alone, as RDS leaves them when a reader falls behind.
     */
    private void forgetLeftWriters(List<Route> after) {
        Route writer = after.stream().filter(r -> r.endpoint().equals("writer")).findFirst().orElse(null);
        if (writer == null || writer.targets().isEmpty()) {
            return;
        }
        for (InetSocketAddress member : lastWriters) {
            if (!writer.targets().contains(member)) {
                try {
                    String endpoint = writer.listen().getAddress().getHostAddress();
                    List<Nft.Client> forgotten = Nft.forgetConnections(endpoint, writer.listen().getPort(),
                            member.getPort());
                    int aborted = Nft.abortLocalSockets(endpoint, writer.listen().getPort(), forgotten);
                    LOG.info("writer endpoint moved from {}: forgot {} connection(s) to it, aborted {} local client "
                            + "socket(s)", member, forgotten.size(), aborted);
                } catch (RuntimeException e) {
                    LOG.warn("writer endpoint moved from {}, but its connections' NAT state stays: {}", member,
                            e.getMessage());
                }
            }
        }
        lastWriters = writer.targets();
    }

    @Override
    public Map<String, EndpointCounters> counters() {
        String json = Nft.countersJson(table);
        if (json == null) {
            return Map.of();
        }
        try {
            return parseCounters(Json.mapper().readTree(json), counterNames);
        } catch (IOException e) {
            throw new EndpointException("cannot read nft's counters: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        holdProxy.close();
    }

    /** The transaction for {@code routes}: declare (idempotent), flush, refill. */
    static String render(String table, List<Route> routes, InetSocketAddress holdListen) {
        StringBuilder s = new StringBuilder();
        s.append("table ip ").append(table).append(" {\n");
        for (Route r : routes) {
            String c = counterPrefix(r.endpoint());
            s.append("  counter ").append(c).append("_accepted { }\n");
            s.append("  counter ").append(c).append("_refused { }\n");
        }
        s.append("""
                  chain endpoints_guard { }
                  chain endpoints_nat { }
                  chain guard_out { type filter hook output priority -150; policy accept; }
                  chain guard_pre { type filter hook prerouting priority -150; policy accept; }
                  chain nat_out { type nat hook output priority -100; policy accept; }
                  chain nat_pre { type nat hook prerouting priority -100; policy accept; }
                  chain nat_post { type nat hook postrouting priority 100; policy accept; }
                }
                """);
        s.append("flush table ip ").append(table).append('\n');
        s.append("table ip ").append(table).append(" {\n");
        s.append("""
                  chain guard_out { jump endpoints_guard; }
                  chain guard_pre { jump endpoints_guard; }
                  chain nat_out { jump endpoints_nat; }
                  chain nat_pre { jump endpoints_nat; }
                """);
        s.append("  chain endpoints_guard {\n");
        for (Route r : routes) {
            String match = match(r);
            String c = counterPrefix(r.endpoint());
            if (!r.targets().isEmpty() || r.hold()) {
                s.append("    ").append(match).append(" ct state new ip saddr { ")
                        .append(r.allowedCidrs().stream().map(Cidr::toString).collect(Collectors.joining(", ")))
                        .append(" } counter name \"").append(c).append("_accepted\" accept\n");
            }
            s.append("    ").append(match).append(" ct state new counter name \"").append(c)
                    .append("_refused\" reject with tcp reset\n");
        }
        s.append("  }\n");
        s.append("  chain endpoints_nat {\n");
        for (Route r : routes) {
            List<InetSocketAddress> to = r.hold() ? List.of(holdListen) : r.targets();
            if (to.isEmpty()) {
                continue;
            }
            s.append("    ").append(match(r)).append(" dnat to ");
            if (to.size() == 1) {
                s.append(hostPort(to.get(0)));
            } else {
                s.append("numgen inc mod ").append(to.size()).append(" map { ");
                for (int i = 0; i < to.size(); i++) {
                    s.append(i == 0 ? "" : ", ").append(i).append(" : ").append(ip(to.get(i))).append(" . ")
                            .append(to.get(i).getPort());
                }
                s.append(" }");
            }
            s.append('\n');
        }
        s.append("  }\n");
        s.append(masquerade(routes));
        s.append("}\n");
        return s.toString();
    }

    /**
     * A client on this host connects to an endpoint from 127.0.0.1; DNATed to a member on another
     * host (the netns topology: across the bridge), the reply would go to the member's own loopback.
     * So such connections leave with the outgoing device's address (masquerade), as kube-proxy does
     * for node ports on localhost; the device needs {@code route_localnet=1}. Connections that stay
     * on {@code lo} (the local topology) are left as they are.
     */
    private static String masquerade(List<Route> routes) {
        List<String> addresses = routes.stream().filter(r -> r.hold() || !r.targets().isEmpty())
                .map(r -> ip(r.listen())).distinct().toList();
        if (addresses.isEmpty()) {
            return "";
        }
        return "  chain nat_post {\n    ct original ip daddr { " + String.join(", ", addresses)
                + " } ip saddr 127.0.0.0/8 oifname != \"lo\" masquerade\n  }\n";
    }

    static Map<String, EndpointCounters> parseCounters(JsonNode root, Map<String, String> names) {
        Map<String, long[]> byEndpoint = new LinkedHashMap<>();
        for (JsonNode item : root.path("nftables")) {
            JsonNode c = item.get("counter");
            if (c == null) {
                continue;
            }
            String name = c.path("name").asText();
            int cut = name.lastIndexOf('_');
            if (cut < 0) {
                continue;
            }
            String endpoint = names.get(name.substring(0, cut));
            if (endpoint == null) {
                continue;
            }
            long[] v = byEndpoint.computeIfAbsent(endpoint, k -> new long[2]);
            v[name.endsWith("_accepted") ? 0 : 1] += c.path("packets").asLong();
        }
        Map<String, EndpointCounters> out = new LinkedHashMap<>();
        byEndpoint.forEach((k, v) -> out.put(k, new EndpointCounters(v[0], v[1])));
        return out;
    }

    private static String match(Route r) {
        return "ip daddr " + ip(r.listen()) + " tcp dport " + r.listen().getPort();
    }

    private static String hostPort(InetSocketAddress a) {
        return ip(a) + ":" + a.getPort();
    }

    private static String ip(InetSocketAddress a) {
        if (a.getAddress() == null) {
            throw new EndpointException("endpoint address " + a + " is not resolved; use IP addresses");
        }
        return a.getAddress().getHostAddress();
    }

    /** Counter names: the endpoint name in [a-z0-9_] ("demo-1" → "ep_demo_1"). */
    static String counterPrefix(String endpoint) {
        return "ep_" + endpoint.toLowerCase().replaceAll("[^a-z0-9]", "_");
    }
}
