package io.multiaz.endpoint;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-space data path: a Netty TCP proxy listening on every endpoint address, relaying each
 * admitted connection to the endpoint's targets round-robin, and holding new connections (bounded
 * by the hold timeout) while an endpoint has no target or a switchover holds it.
 *
 * <p>Runs on native epoll when it loads, NIO otherwise, with one event loop per processor.
 *
 * <p>Thread safety: {@link #apply} and {@link #close} are meant for one controller thread and are
 * serialized; {@link #counters} and {@link #held} may be called from any thread. A route change is
 * atomic per endpoint: a new connection sees the old route or the new one whole. Connections
 * already relayed keep their target when the route changes or is removed.
 */
public final class NettyProxy implements DataPath {
    private static final Logger LOG = LoggerFactory.getLogger(NettyProxy.class);

    /** How long a connection waits for its endpoint to get a target unless the constructor says otherwise. */
    public static final Duration DEFAULT_HOLD_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Duration holdTimeout;
    private final EventLoopGroup group;
    private final ServerBootstrap bootstrap;
    private final ChannelGroup channels = new DefaultChannelGroup("multiaz-endpoints", GlobalEventExecutor.INSTANCE);
    private final ConnectionCounts counts = new ConnectionCounts();
    private final Relay relay;
    private final Map<InetSocketAddress, Listener> listeners = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A proxy holding connections for at most {@link #DEFAULT_HOLD_TIMEOUT}. */
    public NettyProxy() {
        this(DEFAULT_HOLD_TIMEOUT);
    }

    /** A proxy with no listener yet; {@link #apply} binds them. */
    public NettyProxy(Duration holdTimeout) {
        if (holdTimeout.isNegative() || holdTimeout.isZero()) {
            throw new IllegalArgumentException("hold timeout must be positive, got " + holdTimeout);
        }
        this.holdTimeout = holdTimeout;
        Transport transport = Transport.best();
        if (transport.name().equals("epoll")) {
            LOG.info("endpoint proxy: using the native epoll transport");
        } else {
            LOG.info("endpoint proxy: using the NIO transport; native epoll is unavailable ({})",
                    String.valueOf(Transport.epollUnavailability()));
        }
        this.group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), transport.ioHandlers());
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false) // nothing is read before a target takes it
                .childOption(ChannelOption.TCP_NODELAY, true);
        this.relay = new Relay(transport, CONNECT_TIMEOUT, channels, counts);
    }

    @Override
    public String name() {
        return "netty";
    }

    /**
     * Listens on every route's address not bound yet, gives bound ones their new route and stops
     * listening on addresses no route names. If an address cannot be bound, nothing changes: the
     * listeners this call bound are closed again and the exception names the address.
     *
     * @throws IllegalArgumentException when two routes name the same listen address
     * @throws IllegalStateException    when an address cannot be bound, or the proxy is closed
     */
    @Override
    public synchronized void apply(List<Route> routes) {
        if (closed.get()) {
            throw new IllegalStateException("the endpoint proxy is closed; start a new one");
        }
        Map<InetSocketAddress, Route> wanted = byAddress(routes);
        Map<InetSocketAddress, Listener> bound = bindNew(wanted);
        wanted.forEach((address, route) -> {
            counts.register(route.endpoint());
            Listener existing = listeners.get(address);
            if (existing != null) {
                existing.route(route);
            }
        });
        for (InetSocketAddress address : new ArrayList<>(listeners.keySet())) {
            if (!wanted.containsKey(address)) {
                listeners.remove(address).close();
            }
        }
        listeners.putAll(bound);
    }

    @Override
    public Map<String, EndpointCounters> counters() {
        return counts.snapshot();
    }

    /** Connections of {@code endpoint} accepted and waiting for a target now (0 for an unknown endpoint). */
    public int held(String endpoint) {
        return listeners.values().stream()
                .filter(l -> l.route().endpoint().equals(endpoint))
                .mapToInt(Listener::held)
                .sum();
    }

    /** Closes the listeners, every held and relayed connection, then the event loops; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listeners.values().forEach(Listener::close);
        listeners.clear();
        if (!channels.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis())) {
            LOG.warn("endpoint proxy: connections still open after {}; shutting the event loops down anyway",
                    CLOSE_TIMEOUT);
        }
        if (!group.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(2 * CLOSE_TIMEOUT.toMillis())) {
            LOG.warn("endpoint proxy: event loops still running after {}; leaving them to finish", 2 * CLOSE_TIMEOUT.toSeconds());
        }
        LOG.info("endpoint proxy: closed");
    }

    private static Map<InetSocketAddress, Route> byAddress(List<Route> routes) {
        Map<InetSocketAddress, Route> wanted = new LinkedHashMap<>();
        for (Route route : routes) {
            Route other = wanted.put(route.listen(), route);
            if (other != null) {
                throw new IllegalArgumentException("endpoints " + other.endpoint() + " and " + route.endpoint()
                        + " both listen on " + route.listen() + "; give each endpoint its own address");
            }
        }
        return wanted;
    }

    /** Binds the addresses not bound yet; on a failure closes what it bound and rethrows. */
    private Map<InetSocketAddress, Listener> bindNew(Map<InetSocketAddress, Route> wanted) {
        Map<InetSocketAddress, Listener> bound = new HashMap<>();
        try {
            for (Route route : wanted.values()) {
                if (!listeners.containsKey(route.listen())) {
                    bound.put(route.listen(), Listener.bind(route, bootstrap, relay, counts, channels, holdTimeout));
                }
            }
        } catch (RuntimeException e) {
            bound.values().forEach(Listener::close);
            throw e;
        }
        return bound;
    }
}
