package io.multiaz.cli;

import io.multiaz.agent.Agent;
import io.multiaz.agent.EndpointsAgent;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code multiaz agent --az Z}: runs one zone's agent in the foreground until SIGTERM or SIGINT;
 * {@code multiaz agent --endpoints-only}: the root namespace's endpoints agent of the netns topology.
 * {@code multiaz up} starts these in the background; run one by hand to watch it.
 */
@Command(name = "agent", description = "Run one zone's agent in the foreground (what 'up' starts in the background).")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Option(names = "--az", paramLabel = "ZONE", description = "The zone to run, e.g. az-a.")
    String az;

    @Option(names = "--endpoints-only", description = "Run the endpoints-only agent of the netns topology instead "
            + "(root namespace: ZooKeeper client and endpoint rules only; docs/ENDPOINTS.md).")
    boolean endpointsOnly;

    @Override
    public Integer call() throws Exception {
        if (endpointsOnly == (az != null)) {
            throw new UserError("give either --az ZONE or --endpoints-only");
        }
        String label = endpointsOnly ? "the endpoints agent" : "agent " + az;
        AutoCloseable agent;
        try {
            agent = endpointsOnly ? EndpointsAgent.start(stateDir.path()) : Agent.start(stateDir.path(), az);
        } catch (Exception e) {
            LoggerFactory.getLogger(AgentCommand.class).error("{} could not start: {}; fix the cause and run"
                    + " ./multiaz up again", label, e.toString(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(AgentCommand.class).warn("{} did not stop cleanly: {}", label, e.toString());
            }
            stopped.countDown();
        }, "agent-shutdown"));
        stopped.await();
        return 0;
    }
}
