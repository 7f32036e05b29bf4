package io.multiaz.cli;

import io.multiaz.config.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code multiaz pause [--cluster NAME]}: no automatic action (failover, restart, rejoin) until {@code resume}. */
@Command(name = "pause", description = "Suspend automatic actions (failover, restarts) until 'multiaz resume'.")
final class PauseCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Mixin
    ClusterOption cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LocalSite site = stateDir.site();
        Layout layout = site.layout();
        AgentClient agents = new AgentClient(layout);
        String name = cluster.resolve(agents, layout);
        agents.send("POST", "/pause?cluster=" + AgentClient.encode(name));
        spec.commandLine().getOut().println("paused cluster " + name + ": the agents take no automatic action on it "
                + "until ./multiaz resume" + ClusterOption.flag(name, layout) + site.flag());
        return 0;
    }
}
