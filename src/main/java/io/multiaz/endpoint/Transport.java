package io.multiaz.endpoint;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The Netty transport the proxy runs on: native epoll where its library loads, NIO otherwise.
 *
 * @param name          "epoll" or "nio", as the log reports it
 * @param ioHandlers    creates the I/O handler of each event loop
 * @param serverChannel the listening channel class
 * @param channel       the connected channel class
 */
record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
                 Class<? extends Channel> channel) {

    /** Epoll when {@link Epoll#isAvailable()}, else NIO. */
    static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class);
        }
        return nio();
    }

    static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** Why epoll is not used, or null when it is available. */
    static Throwable epollUnavailability() {
        return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
    }
}
