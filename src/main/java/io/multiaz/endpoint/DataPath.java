package io.multiaz.endpoint;

import java.util.List;
import java.util.Map;

/**
 * Carries clients' connections from endpoint addresses to members: the kernel (nftables DNAT) or
 * the Netty proxy. {@link #apply} replaces the whole routing at once.
 *
 * <p>Thread safety: implementations are called by one controller thread; {@link #counters} may be
 * called from any thread.
 */
public interface DataPath extends AutoCloseable {
    /** "nftables" or "netty", as {@code status} reports it. */
    String name();

    /** Routes new connections as {@code routes} say; endpoints absent from the list stop accepting. */
    void apply(List<Route> routes);

    /** Per endpoint: connections accepted and refused since the data path started. */
    Map<String, EndpointCounters> counters();

    /** Stops this data path: listeners close; kernel rules stay for the next owner (see NftDataPath). */
    @Override
    void close();

    /** Connection counts of one endpoint. */
    record EndpointCounters(long accepted, long refused) {
    }
}
