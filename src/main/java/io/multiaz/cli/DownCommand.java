package io.multiaz.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code multiaz down}: stops every process of the deployment, keeping its data. */
@Command(name = "down", description = "Stop the agents and PostgreSQL servers; data stays in the state dir.")
final class DownCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LocalSite site = stateDir.site();
        if (!site.hasLayout()) {
            out.println("nothing to stop: no multiaz deployment in " + site.root());
            return 0;
        }
        int n = new Stopper(site, out).stop(LocalSite.ZONES);
        out.println(n == 0 ? "nothing was running in " + site.root()
                : "stopped; data kept in " + site.root() + " (start again with ./multiaz up)");
        return 0;
    }
}
