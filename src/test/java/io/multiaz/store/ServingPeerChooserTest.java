package io.multiaz.store;

import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServingPeerChooserTest {
    private final List<ServerSocket> fakes = new ArrayList<>();

    @AfterEach
    void closeFakes() throws IOException {
        for (ServerSocket s : fakes) {
            s.close();
        }
    }

    @Test
    void ordersTheAgentsOwnPeerFirst() {
        assertThat(ServingPeerChooser.ordered("127.0.0.1:1,127.0.0.1:2,127.0.0.1:3", "127.0.0.1:2"))
                .extracting(InetSocketAddress::getPort).containsExactly(2, 1, 3);
        assertThat(ServingPeerChooser.ordered("127.0.0.1:1,127.0.0.1:2", "elsewhere:9"))
                .extracting(InetSocketAddress::getPort).containsExactly(1, 2);
    }

    @Test
    void skipsAClosedPeerAndOneStillElecting() throws IOException {
        InetSocketAddress closed = closedAddress();
        InetSocketAddress electing = fakePeer("This ZooKeeper instance is not currently serving requests\n");
        InetSocketAddress serving = fakePeer("Zookeeper version: 3.9.3\nMode: follower\n");
        ServingPeerChooser chooser = new ServingPeerChooser(List.of(closed, electing, serving), Duration.ofSeconds(5));

        assertThat(chooser.next(1000).getPort()).isEqualTo(serving.getPort());
    }

    @Test
    void returnsThePeersInTurnWhenNoneServesWithinTheWait() throws IOException {
        InetSocketAddress a = closedAddress();
        InetSocketAddress b = fakePeer("This ZooKeeper instance is not currently serving requests\n");
        ServingPeerChooser chooser = new ServingPeerChooser(List.of(a, b), Duration.ofMillis(100));

        assertThat(chooser.next(1000).getPort()).isEqualTo(a.getPort());
        assertThat(chooser.next(1000).getPort()).isEqualTo(b.getPort());
    }

    @Test
    void startsOverWithThePreferredPeerAfterAConnect() throws IOException {
        InetSocketAddress a = fakePeer("Mode: leader\n");
        InetSocketAddress b = fakePeer("Mode: follower\n");
        ServingPeerChooser chooser = new ServingPeerChooser(List.of(a, b), Duration.ofSeconds(5));

        assertThat(chooser.next(1000).getPort()).isEqualTo(a.getPort());
        assertThat(chooser.next(1000).getPort()).isEqualTo(b.getPort());
        chooser.onConnected();
        assertThat(chooser.next(1000).getPort()).isEqualTo(a.getPort());
    }

    /** Fails when a ZooKeeper upgrade renames the client's first-connect flag: the pom pins the version. */
    @Test
    void removesTheRandomReconnectDelayOfThePinnedZooKeeperClient() throws Exception {
        InetSocketAddress nowhere = closedAddress();
        ServingPeerChooser chooser = new ServingPeerChooser(List.of(nowhere), Duration.ofMillis(50));
        boolean[] attached = new boolean[1];
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + nowhere.getPort(), 2000, event -> { }, false, chooser,
                new ZKClientConfig()) {
            {
                attached[0] = chooser.attach(cnxn);
            }
        };
        try {
            assertThat(attached[0]).isTrue();
        } finally {
            zk.close(100);
        }
    }

    private InetSocketAddress closedAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
    }

    /** A socket answering ZooKeeper's four-letter commands with {@code answer}. */
    private InetSocketAddress fakePeer(String answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        fakes.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.readNBytes(4);
                    OutputStream out = s.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        }, "fake-zk-peer");
        t.setDaemon(true);
        t.start();
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }
}
