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
 * {@code multiaz agent --endpoints-only [NAME]}: one of the root namespace's two endpoints agents of
 * the netns topology ({@code endpoints}, the default, or {@code endpoints-2}).
 * {@code multiaz up} starts these in the background; run one by hand to watch it.
 */
@Command(name = "agent", description = "Run one zone's agent in the foreground (what 'up' starts in the background).")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Option(names = "--az", paramLabel = "ZONE", description = "The zone to run, e.g. az-a.")
    String az;

    @Option(names = "--endpoints-only", arity = "0..1", fallbackValue = "endpoints", paramLabel = "NAME",
            description = "Run an endpoints-only agent of the netns topology instead (root namespace: ZooKeeper "
                    + "client and endpoint rules only; docs/ENDPOINTS.md): endpoints (the default) or endpoints-2.")
    String endpointsOnly;

    @Override
    public Integer call() throws Exception {
        if ((endpointsOnly != null) == (az != null)) {
            throw new UserError("give either --az ZONE or --endpoints-only [NAME]");
        }
        if (endpointsOnly != null && !io.multiaz.config.Layout.ENDPOINTS_AGENTS.contains(endpointsOnly)) {
            throw new UserError("no endpoints agent is called '" + endpointsOnly + "'; give one of "
                    + io.multiaz.config.Layout.ENDPOINTS_AGENTS);
        }
        String label = endpointsOnly != null ? "endpoints agent " + endpointsOnly : "agent " + az;
        AutoCloseable agent;
        try {
            agent = endpointsOnly != null ? EndpointsAgent.start(stateDir.path(), endpointsOnly)
                    : Agent.start(stateDir.path(), az);
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
