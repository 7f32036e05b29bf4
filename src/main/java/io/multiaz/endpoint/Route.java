package io.multiaz.endpoint;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Where one endpoint sends new connections.
 *
 * @param endpoint     the endpoint's name: {@code writer}, {@code reader} or an instance name
 * @param listen       the endpoint's address clients connect to (its own loopback address, port 5432)
 * @param targets      the members new connections go to, spread round-robin; empty when none qualifies
 * @param hold         new connections wait (bounded) instead of being refused: a switchover or
 *                     failover is under way and the next writer is not known yet
 * @param allowedCidrs client networks admitted (security-group style); others are refused
 */
public record Route(String endpoint, InetSocketAddress listen, List<InetSocketAddress> targets, boolean hold,
                    List<Cidr> allowedCidrs) {
    public Route {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(listen, "listen");
        targets = List.copyOf(targets);
        allowedCidrs = List.copyOf(allowedCidrs);
        if (hold && !targets.isEmpty()) {
            throw new IllegalArgumentException("endpoint " + endpoint + " holds connections and has targets " + targets);
        }
    }

    /** Whether a client at {@code address} may connect. */
    public boolean admits(java.net.InetAddress address) {
        return allowedCidrs.stream().anyMatch(c -> c.contains(address));
    }
}
