package io.multiaz.store;

import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class ServingPeerZookeeperFactoryTest {
    /**
     * Issue 7: with client SASL on, each connection attempt first did a reverse DNS lookup of the
     * peer; in a zone's network namespace (no resolver reachable) no session ever came up.
     */
    @Test
    void newZooKeeper_clientSaslOff_noReverseLookupBeforeConnecting_issue7() throws Exception {
        ZooKeeper zk = new ServingPeerZookeeperFactory("127.0.0.1:1")
                .newZooKeeper("127.0.0.1:1", 1500, event -> { }, false, null);
        try {
            assertThat(zk.getClientConfig().isSaslClientEnabled()).isFalse();
        } finally {
            zk.close(100);
        }
    }
}
