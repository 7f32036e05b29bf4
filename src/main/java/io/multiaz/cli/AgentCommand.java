package io.multiaz.cli;

import io.multiaz.agent.Agent;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code multiaz agent --az Z}: runs one zone's agent in the foreground until SIGTERM or SIGINT.
 * {@code multiaz up} starts these in the background; run one by hand to watch it.
 */
@Command(name = "agent", description = "Run one zone's agent in the foreground (what 'up' starts in the background).")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Option(names = "--az", required = true, paramLabel = "ZONE", description = "The zone to run, e.g. az-a.")
    String az;

    @Override
    public Integer call() throws Exception {
        Agent agent;
        try {
            agent = Agent.start(stateDir.path(), az);
        } catch (Exception e) {
            LoggerFactory.getLogger(AgentCommand.class).error("agent {} could not start: {}; fix the cause and run"
                    + " ./multiaz up again", az, e.toString(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "agent-shutdown"));
        stopped.await();
        return 0;
    }
}
