package io.multiaz.endpoint;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound endpoint address: refuses, holds or relays each accepted connection as its current
 * route says, and releases held connections once the route has targets again.
 *
 * <p>Thread safety: {@link #route(Route)} and {@link #close()} are called by the data path's
 * controller thread; accepts run on event loops. The route is one volatile reference, so an
 * accepted connection sees either the old route or the new one whole. A connection enters the
 * held set before it re-reads the route, and a route change is published before the held set is
 * drained, so no connection stays held under a route that has targets; removing it from the set
 * decides once who owns it (release, time-out or close).
 */
final class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Relay relay;
    private final ConnectionCounts counts;
    private final ChannelGroup channels;
    private final Duration holdTimeout;
    private final Set<Channel> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private volatile Route route;
    private volatile Channel serverChannel;

    private Listener(Route route, Relay relay, ConnectionCounts counts, ChannelGroup channels, Duration holdTimeout) {
        this.route = route;
        this.relay = relay;
        this.counts = counts;
        this.channels = channels;
        this.holdTimeout = holdTimeout;
    }

    /**
     * Listens on {@code route.listen()} with a copy of {@code bootstrap} (group, channel class and
     * options set; accepted channels must start with auto-read off).
     *
     * @throws IllegalStateException naming the address and what to do when it cannot be bound
     */
    static Listener bind(Route route, ServerBootstrap bootstrap, Relay relay, ConnectionCounts counts,
                         ChannelGroup channels, Duration holdTimeout) {
        Listener listener = new Listener(route, relay, counts, channels, holdTimeout);
        ChannelFuture binding = bootstrap.clone()
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel client) {
                        listener.accept(client);
                    }
                })
                .bind(route.listen())
                .awaitUninterruptibly();
        if (!binding.isSuccess()) {
            throw bindFailure(route, binding.cause());
        }
        listener.serverChannel = binding.channel();
        LOG.info("endpoint {}: listening on {}", route.endpoint(), text(route.listen()));
        return listener;
    }

    Route route() {
        return route;
    }

    /** Connections accepted and waiting for a target now. */
    int held() {
        return held.size();
    }

    /** Applies {@code next} to new connections and, when it has targets, releases the held ones to them. */
    void route(Route next) {
        route = next;
        if (relays(next)) {
            for (Channel client : held) {
                if (held.remove(client)) {
                    release(client, next);
                }
            }
        }
    }

    /** Stops listening and closes the held connections (refused); relayed connections go on. */
    void close() {
        if (!serverChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis())) {
            LOG.warn("endpoint {}: the listener on {} did not close within {}; closing its connections anyway",
                    route.endpoint(), text(route.listen()), CLOSE_TIMEOUT);
        }
        for (Channel client : held) {
            if (held.remove(client)) {
                counts.refused(route.endpoint());
                client.close();
            }
        }
        LOG.info("endpoint {}: stopped listening on {}", route.endpoint(), text(route.listen()));
    }

    private void accept(Channel client) {
        channels.add(client);
        Route current = route;
        InetSocketAddress from = (InetSocketAddress) client.remoteAddress();
        if (!current.admits(from.getAddress())) {
            LOG.debug("endpoint {}: refusing client {}: not in {}", current.endpoint(), from, current.allowedCidrs());
            counts.refused(current.endpoint());
            client.close();
        } else if (relays(current)) {
            relay(client, current);
        } else {
            hold(client);
        }
    }

    private void hold(Channel client) {
        held.add(client);
        client.closeFuture().addListener(f -> held.remove(client));
        client.eventLoop().schedule(() -> timeOut(client), holdTimeout.toNanos(), TimeUnit.NANOSECONDS);
        Route current = route; // a route with targets may have come in since accept read it
        if (relays(current) && held.remove(client)) {
            release(client, current);
        }
    }

    private void timeOut(Channel client) {
        if (held.remove(client)) {
            Route current = route;
            LOG.info("endpoint {}: closing client {}: no target within the hold timeout of {}",
                    current.endpoint(), client.remoteAddress(), holdTimeout);
            counts.refused(current.endpoint());
            client.close();
        }
    }

    private void release(Channel client, Route to) {
        InetSocketAddress from = (InetSocketAddress) client.remoteAddress();
        if (from == null || !to.admits(from.getAddress())) {
            LOG.debug("endpoint {}: refusing held client {}: not in {}", to.endpoint(), from, to.allowedCidrs());
            counts.refused(to.endpoint());
            client.close();
            return;
        }
        relay(client, to);
    }

    private void relay(Channel client, Route tried) {
        relay.connect(client, tried.endpoint(), tried.targets(), next.getAndIncrement(),
                () -> everyTargetFailed(client, tried));
    }

    /**
     * No target of {@code tried} took {@code client}. If the route changed meanwhile, the client
     * follows the new one: a switchover holds the endpoint and then stops the old writer, so a
     * client accepted just before the hold may find the old writer gone; it is held (or relayed to
     * the new writer) like a client accepted now. Under the same route the client is refused.
     */
    private void everyTargetFailed(Channel client, Route tried) {
        Route current = route;
        if (!current.equals(tried) && current.admits(((InetSocketAddress) client.remoteAddress()).getAddress())) {
            LOG.info("endpoint {}: no target of {} took client {}; the route changed meanwhile, so it follows the "
                    + "new one ({})", tried.endpoint(), tried.targets(), client.remoteAddress(),
                    relays(current) ? "targets " + current.targets() : "held");
            if (relays(current)) {
                relay(client, current);
            } else {
                hold(client);
            }
            return;
        }
        LOG.info("endpoint {}: closing client {}: no target of {} accepted a connection", tried.endpoint(),
                client.remoteAddress(), tried.targets());
        counts.refused(tried.endpoint());
        client.close();
    }

    private static boolean relays(Route route) {
        return !route.hold() && !route.targets().isEmpty();
    }

    private static IllegalStateException bindFailure(Route route, Throwable cause) {
        String address = text(route.listen());
        String reason = String.valueOf(cause.getMessage());
        String todo;
        if (reason.contains("in use")) {
            todo = "another process listens there: stop it or give the endpoint another port";
        } else if (route.listen().getPort() < 1024 && reason.contains("denied")) {
            todo = "ports below 1024 need root or CAP_NET_BIND_SERVICE: run the agent as root or use a port >= 1024";
        } else if (reason.contains("assign")) {
            todo = "the address is not on this host: add it to an interface (any 127.x.y.z works on Linux)";
        } else {
            todo = "check that the address is on this host and the port is free";
        }
        return new IllegalStateException("endpoint " + route.endpoint() + ": cannot listen on " + address + " ("
                + reason + "); " + todo, cause);
    }

    private static String text(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
