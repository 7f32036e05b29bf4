package io.multiaz.endpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A client of a {@link NettyProxy} endpoint reading lines, with a 3 s read timeout so that a broken
 * proxy fails the test instead of hanging it.
 */
record ProxyClient(Socket socket, BufferedReader in, OutputStream out) implements AutoCloseable {
    static ProxyClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 2_000);
            socket.setSoTimeout(3_000);
            return new ProxyClient(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)), socket.getOutputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    String readLine() throws IOException {
        return in.readLine();
    }

    void send(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Whether the proxy closed this connection (end of stream or a reset) before the read timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
