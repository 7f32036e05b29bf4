package io.multiaz.endpoint;

import io.multiaz.model.OperatorRequest;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides where each endpoint of a cluster sends new connections, from the cluster as the store
 * shows it. Pure: the same report gives the same routes.
 *
 * <ul>
 *   <li><b>writer</b>: the lease holder once it runs as writer. While a switchover or failover
 *       request has not moved the writer yet (the lease holder is still the writer the request
 *       is from), or no member runs as writer (the lease is free, or its holder has not promoted
 *       yet), new connections are <em>held</em>, not refused. A request still pending after the
 *       new writer runs (it waits for the old writer to follow) does not hold anything.</li>
 *   <li><b>reader</b>: every reader that runs, streams, and is at most {@code readerMaxLagBytes}
 *       behind; with none, the writer when {@code readerFallbackToWriter}; never a member the store
 *       says is down.</li>
 *   <li><b>instance endpoints</b>: always their own instance (as RDS instance endpoints).</li>
 * </ul>
 */
public final class RoutePlanner {
    private RoutePlanner() {
    }

    /**
     * @param leader   the lease holder, null when the lease is free
     * @param request  the pending switchover or failover request, null when none
     * @param members  every instance as published (unreachable ones included)
     * @param policy   reader lag bound, fallback and the CIDRs every endpoint admits
     */
    public static List<Route> plan(String leader, OperatorRequest request, List<Member> members,
                                   EndpointAddresses addresses, Policy policy) {
        Optional<Member> writer = members.stream()
                .filter(m -> m.name().equals(leader) && m.role() == Role.WRITER && m.state() == ServerState.RUNNING)
                .findFirst();
        List<Route> routes = new ArrayList<>();
        boolean handoverPending = request != null && request.from() != null && request.from().equals(leader);
        boolean hold = handoverPending || writer.isEmpty();
        routes.add(new Route("writer", addresses.writer(),
                hold ? List.of() : List.of(address(writer.get())), hold, policy.allowedCidrs()));

        List<InetSocketAddress> readers = members.stream()
                .filter(m -> m.role() == Role.READER && m.state() == ServerState.RUNNING && m.streaming()
                        && m.lagBytes() >= 0 && m.lagBytes() <= policy.readerMaxLagBytes())
                .map(RoutePlanner::address).toList();
        if (readers.isEmpty() && policy.readerFallbackToWriter() && writer.isPresent()) {
            readers = List.of(address(writer.get()));
        }
        routes.add(new Route("reader", addresses.reader(), readers, false, policy.allowedCidrs()));

        for (Member m : members) {
            InetSocketAddress listen = addresses.instances().get(m.name());
            if (listen != null) {
                routes.add(new Route(m.name(), listen, List.of(address(m)), false, policy.allowedCidrs()));
            }
        }
        return routes;
    }

    private static InetSocketAddress address(Member m) {
        return new InetSocketAddress(m.host(), m.port());
    }

    /** One instance as the planner needs it; {@code lagBytes} is -1 when unknown. */
    public record Member(String name, String host, int port, Role role, ServerState state, boolean streaming,
                         long lagBytes) {
    }

    /** How endpoints choose and admit. */
    public record Policy(long readerMaxLagBytes, boolean readerFallbackToWriter, List<Cidr> allowedCidrs) {
        public Policy {
            allowedCidrs = List.copyOf(allowedCidrs);
        }
    }
}
