package io.multiaz.endpoint;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects an accepted client to one of its endpoint's targets and copies bytes both ways until
 * either side closes.
 *
 * <p>Thread safety: {@link #connect} may be called from any thread; the connection to the target
 * runs on the client's event loop, so both channels of a pair share one thread and their handlers
 * need no locking.
 */
final class Relay {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final Transport transport;
    private final Duration connectTimeout;
    private final ChannelGroup channels;
    private final ConnectionCounts counts;

    /**
     * @param channels every target connection is added here, so that closing the data path closes it
     * @param counts   a relayed connection counts as accepted
     */
    Relay(Transport transport, Duration connectTimeout, ChannelGroup channels, ConnectionCounts counts) {
        this.transport = transport;
        this.connectTimeout = connectTimeout;
        this.channels = channels;
        this.counts = counts;
    }

    /**
     * Connects {@code client} (auto-read off, nothing read yet) to {@code targets[first]}, or to the
     * following targets in turn if that fails; once every target has failed, runs
     * {@code everyTargetFailed} on the client's event loop, which closes or re-routes the client.
     */
    void connect(Channel client, String endpoint, List<InetSocketAddress> targets, int first,
                 Runnable everyTargetFailed) {
        client.eventLoop().execute(() -> attempt(client, endpoint, targets, first, 0, everyTargetFailed));
    }

    private void attempt(Channel client, String endpoint, List<InetSocketAddress> targets, int first, int tried,
                         Runnable everyTargetFailed) {
        if (!client.isActive()) {
            return; // the client left, or the data path closed it: nobody to relay for
        }
        if (tried == targets.size()) {
            everyTargetFailed.run();
            return;
        }
        InetSocketAddress target = targets.get(Math.floorMod(first + tried, targets.size()));
        ChannelFuture connecting = new Bootstrap()
                .group(client.eventLoop())
                .channel(transport.channel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false) // until the client side is wired too
                .handler(new Pipe(client))
                .connect(target);
        channels.add(connecting.channel());
        connecting.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                join(client, f.channel(), endpoint);
            } else {
                LOG.info("endpoint {}: cannot connect client {} to target {} ({}); trying the next target",
                        endpoint, client.remoteAddress(), target, f.cause().toString());
                attempt(client, endpoint, targets, first, tried + 1, everyTargetFailed);
            }
        });
    }

    private void join(Channel client, Channel server, String endpoint) {
        if (!client.isActive()) {
            server.close();
            return;
        }
        client.pipeline().addLast(new Pipe(server));
        counts.accepted(endpoint);
        if (client instanceof AbstractEpollStreamChannel in && server instanceof AbstractEpollStreamChannel out) {
            splice(in, out);
        }
        client.config().setAutoRead(true);
        server.config().setAutoRead(true);
    }

    /**
     * On epoll, the kernel moves the bytes (splice(2) through a pipe): they never enter user space,
     * which is what lets a proxy come close to a direct connection on a busy host. Both channels
     * share one event loop (see {@link #attempt}), as splicing requires; the {@link Pipe}s still
     * close each side when the other closes.
     */
    private static void splice(AbstractEpollStreamChannel in, AbstractEpollStreamChannel out) {
        in.config().setEpollMode(EpollMode.LEVEL_TRIGGERED);
        out.config().setEpollMode(EpollMode.LEVEL_TRIGGERED);
        in.spliceTo(out, Integer.MAX_VALUE).addListener(f -> closeOnSpliceFailure(f, in, out));
        out.spliceTo(in, Integer.MAX_VALUE).addListener(f -> closeOnSpliceFailure(f, in, out));
    }

    private static void closeOnSpliceFailure(io.netty.util.concurrent.Future<?> f, Channel a, Channel b) {
        if (!f.isSuccess()) {
            LOG.debug("splice between {} and {} ended: {}", a.remoteAddress(), b.remoteAddress(),
                    f.cause() == null ? "cancelled" : f.cause().toString());
            a.close();
            b.close();
        }
    }

    /**
     * Writes what its channel reads to the peer; stops reading while the peer cannot take more
     * (above its write-buffer high-water mark) and resumes once it can; closes the peer when its own
     * channel closes.
     */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Pipe(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (peer.isActive()) {
                peer.write(msg, peer.voidPromise());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // this channel drained below its low-water mark: the peer, which writes into it, may read again
            if (ctx.channel().isWritable()) {
                peer.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeAfterFlush(peer);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("closing relayed connection {} -> {} after {}", ctx.channel().remoteAddress(),
                    peer.remoteAddress(), cause.toString());
            closeAfterFlush(ctx.channel());
        }

        private static void closeAfterFlush(Channel channel) {
            if (channel.isActive()) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
