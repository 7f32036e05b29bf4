package io.multiaz.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code multiaz pause}: no automatic action (failover, restart, rejoin) until {@code resume}. */
@Command(name = "pause", description = "Suspend automatic actions (failover, restarts) until 'multiaz resume'.")
final class PauseCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        new AgentClient(new LocalSite(stateDir.path()).layout()).send("POST", "/pause");
        spec.commandLine().getOut().println("paused: the agents take no automatic action until ./multiaz resume");
        return 0;
    }
}
