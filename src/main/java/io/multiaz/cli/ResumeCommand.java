package io.multiaz.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code multiaz resume}: ends a {@code pause}. */
@Command(name = "resume", description = "Resume automatic actions after 'multiaz pause'.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        new AgentClient(new LocalSite(stateDir.path()).layout()).send("POST", "/resume");
        spec.commandLine().getOut().println("resumed: automatic actions are on again");
        return 0;
    }
}
