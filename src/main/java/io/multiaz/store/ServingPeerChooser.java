package io.multiaz.store;

import org.apache.zookeeper.client.HostProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Chooses the ZooKeeper peer an agent's client (re)connects to: the first one, in order, that
 * answers ZooKeeper's {@code srvr} command as serving, with the agent's own peer first.
 *
 * <p>Why: the writer's watchdog window (80 % of the session timeout) must cover every ZooKeeper
 * outage that does not concern the writer, above all the election after another zone's peer dies.
 * The stock client picks peers round-robin, fails on the dead one or on those still electing, and
 * sleeps a random 0–1 s before <em>every</em> reconnect attempt, so reconnecting after a 0.5 s
 * election took 0.4 to more than 2 s, and a healthy writer's watchdog could fire. This chooser
 * probes (one round trip on a LAN) and waits until a peer serves, and {@link #attach} removes the
 * random sleep for the connect that follows: three agents are no thundering herd.
 *
 * <p>Thread safety: {@link #next} runs on the ZooKeeper client's send thread only; the other
 * methods are safe to call from any thread.
 */
public final class ServingPeerChooser implements HostProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ServingPeerChooser.class);
    private static final int PROBE_TIMEOUT_MILLIS = 150;
    private static final long PAUSE_MILLIS = 20;

    private final List<InetSocketAddress> peers;
    private final Duration maxWait;
    private volatile Runnable beforeConnect = () -> { };
    private int last = -1;

    /**
     * @param peers   every peer's client address, the preferred (same-zone) one first
     * @param maxWait how long {@link #next} waits for a serving peer before returning the next one
     *                in order regardless (the client then fails and asks again)
     */
    public ServingPeerChooser(List<InetSocketAddress> peers, Duration maxWait) {
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("no ZooKeeper peer to connect to");
        }
        this.peers = List.copyOf(peers);
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /** Peers of a connect string ("host:port,host:port"), {@code preferred} first when it is one of them. */
    public static List<InetSocketAddress> ordered(String connectString, String preferred) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hostPort : connectString.split(",")) {
            String s = hostPort.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("ZooKeeper address '" + s + "' is not host:port");
            }
            InetSocketAddress address = InetSocketAddress.createUnresolved(s.substring(0, colon),
                    Integer.parseInt(s.substring(colon + 1)));
            if (s.equals(preferred)) {
                out.addFirst(address);
            } else {
                out.add(address);
            }
        }
        return out;
    }

    /**
     * Makes every connect the client starts after {@link #next} immediate, as its first one is, by
     * resetting the client's first-connect flag (a private field of ZooKeeper's send thread, read
     * reflectively; checked by a test against the pinned ZooKeeper version). If the field cannot be
     * reached the client keeps its random sleep and a warning says so.
     *
     * @return whether the delay is removed
     */
    public boolean attach(Object clientCnxn) {
        try {
            Field sendThreadField = clientCnxn.getClass().getDeclaredField("sendThread");
            sendThreadField.setAccessible(true);
            Object sendThread = sendThreadField.get(clientCnxn);
            Field first = sendThread.getClass().getDeclaredField("isFirstConnect");
            first.setAccessible(true);
            beforeConnect = () -> {
                try {
                    first.setBoolean(sendThread, true);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            };
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot remove ZooKeeper's random reconnect delay ({}); reconnects after a peer's death may "
                    + "take up to a second longer: check the ZooKeeper version against the pom", e.toString());
            return false;
        }
    }

    @Override
    public int size() {
        return peers.size();
    }

    @Override
    public InetSocketAddress next(long spinDelay) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        InetSocketAddress chosen = null;
        while (chosen == null) {
            for (int i = 1; i <= peers.size() && chosen == null; i++) {
                int candidate = Math.floorMod(last + i, peers.size());
                if (serving(peers.get(candidate))) {
                    chosen = peers.get(candidate);
                    last = candidate;
                }
            }
            if (chosen == null) {
                if (System.nanoTime() - deadline > 0) {
                    last = Math.floorMod(last + 1, peers.size());
                    chosen = peers.get(last);
                    LOG.info("no ZooKeeper peer serves after {}; trying {} anyway", maxWait, chosen);
                } else {
                    pause();
                }
            }
        }
        beforeConnect.run();
        return resolved(chosen);
    }

    /** After a successful connect, the next reconnect starts over with the preferred peer. */
    @Override
    public void onConnected() {
        last = -1;
    }

    @Override
    public boolean updateServerList(Collection<InetSocketAddress> serverAddresses, InetSocketAddress currentHost) {
        return false;
    }

    /** Whether the peer at {@code address} answers {@code srvr} with a mode (it has a quorum and serves clients). */
    static boolean serving(InetSocketAddress address) {
        return mode(address, PROBE_TIMEOUT_MILLIS).isPresent();
    }

    /**
     * The mode the ZooKeeper peer at {@code address} reports to {@code srvr} ({@code leader},
     * {@code follower}, {@code standalone}); empty when it does not answer within
     * {@code timeoutMillis}, or answers without one (it has no quorum and serves no clients).
     */
    public static java.util.Optional<String> mode(InetSocketAddress address, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(resolved(address), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
            return answer.lines().filter(l -> l.startsWith("Mode: ")).map(l -> l.substring(6).strip()).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static InetSocketAddress resolved(InetSocketAddress address) {
        return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            // the client is closing; let it try a peer and notice
            Thread.currentThread().interrupt();
        }
    }
}
