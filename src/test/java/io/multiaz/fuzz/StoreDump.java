package io.multiaz.fuzz;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Every znode of a deployment's store under one root, read through a Curator client of the
 * deployment's own ZooKeeper: path, data, and whether it is ephemeral. A dump reads level by level,
 * each level's reads pipelined on the one session, so a few hundred znodes take a few round trips.
 * A dump is not one atomic view: a znode created or removed while it reads may or may not be in it
 * (the fuzzer compares dumps taken when no request of its own is in flight).
 *
 * <p>A persistent recursive watch on the root also records the path of every change
 * ({@link #changedPaths}): ZooKeeper delivers a session's notifications in order with its replies,
 * so after a {@code sync} every change committed before it has been recorded — what lets the fuzzer
 * skip a dump when nothing but the agents' own records changed. Not thread-safe, but for the watch.
 */
public final class StoreDump implements AutoCloseable {
    /** The path recorded when the session lost its connection: anything may have changed meanwhile. */
    public static final String UNKNOWN = "?";

    private final CuratorFramework client;
    private final String root;
    private final java.util.Set<String> changed = ConcurrentHashMap.newKeySet();

    /** One znode: its data as UTF-8 text (the store keeps JSON) and whether it lives only as long as its session. */
    public record Znode(String data, boolean ephemeral) {
    }

    /** Connects to {@code connect} (a ZooKeeper connect string) and waits up to 30 s for the session. */
    public StoreDump(String connect, String root) throws InterruptedException {
        this.root = root;
        this.client = CuratorFrameworkFactory.newClient(connect, 30_000, 10_000, new RetryOneTime(500));
        client.start();
        if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("cannot reach the deployment's ZooKeeper at " + connect + " within 30 s;"
                    + " is the deployment up?");
        }
        client.getConnectionStateListenable().addListener((c, state) -> changed.add(UNKNOWN));
        try {
            client.getZookeeperClient().getZooKeeper().addWatch(root, event -> {
                if (event.getPath() != null) {
                    changed.add(event.getPath());
                } else if (event.getState() != org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                    changed.add(UNKNOWN);
                }
            }, org.apache.zookeeper.AddWatchMode.PERSISTENT_RECURSIVE);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("cannot watch " + root + " in the deployment's ZooKeeper: " + e, e);
        }
    }

    /**
     * The paths under the root created, changed or removed since the last call (or since the watch
     * was set), {@link #UNKNOWN} among them when the session lost its connection meanwhile; complete
     * up to a {@code sync} made by this call.
     */
    public java.util.Set<String> changedPaths() throws Exception {
        CountDownLatch synced = new CountDownLatch(1);
        client.getZookeeperClient().getZooKeeper().sync(root, (rc, path, ctx) -> synced.countDown(), null);
        if (!synced.await(30, TimeUnit.SECONDS)) {
            changed.add(UNKNOWN);
        }
        java.util.Set<String> drained = new java.util.TreeSet<>();
        for (String path : List.copyOf(changed)) {
            changed.remove(path);
            drained.add(path);
        }
        return drained;
    }

    /** Every znode at or under the root, by path. */
    public SortedMap<String, Znode> dump() throws Exception {
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        SortedMap<String, Znode> all = new TreeMap<>();
        List<String> level = List.of(root);
        while (!level.isEmpty()) {
            Map<String, Znode> nodes = new ConcurrentHashMap<>();
            Map<String, List<String>> children = new ConcurrentHashMap<>();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(level.size() * 2);
            for (String path : level) {
                zk.getData(path, false, (rc, p, ctx, data, stat) -> {
                    if (rc == KeeperException.Code.OK.intValue()) {
                        nodes.put(p, new Znode(data == null ? "" : new String(data, StandardCharsets.UTF_8),
                                stat.getEphemeralOwner() != 0));
                    } else if (rc != KeeperException.Code.NONODE.intValue()) {
                        failures.put(p, rc);
                    }
                    done.countDown();
                }, null);
                zk.getChildren(path, false, (rc, p, ctx, kids) -> {
                    if (rc == KeeperException.Code.OK.intValue()) {
                        children.put(p, List.copyOf(kids));
                    } else if (rc != KeeperException.Code.NONODE.intValue()) {
                        failures.put(p, rc);
                    }
                    done.countDown();
                }, null);
            }
            if (!done.await(30, TimeUnit.SECONDS) || !failures.isEmpty()) {
                throw new IllegalStateException("cannot read the store under " + root + ": " + failures
                        + " (ZooKeeper result codes); check the deployment's ZooKeeper");
            }
            all.putAll(nodes);
            List<String> next = new ArrayList<>();
            nodes.keySet().forEach(p -> children.getOrDefault(p, List.of())
                    .forEach(c -> next.add(p.equals("/") ? "/" + c : p + "/" + c)));
            level = next;
        }
        return all;
    }

    @Override
    public void close() {
        client.close();
    }
}
