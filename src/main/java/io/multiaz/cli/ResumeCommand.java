package io.multiaz.cli;

import io.multiaz.config.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code multiaz resume [--cluster NAME]}: ends a {@code pause}. */
@Command(name = "resume", description = "Resume automatic actions after 'multiaz pause'.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Mixin
    ClusterOption cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Layout layout = stateDir.site().layout();
        AgentClient agents = new AgentClient(layout);
        String name = cluster.resolve(agents, layout);
        agents.send("POST", "/resume?cluster=" + AgentClient.encode(name));
        spec.commandLine().getOut().println("resumed cluster " + name + ": automatic actions are on again");
        return 0;
    }
}
