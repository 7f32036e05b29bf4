package io.multiaz.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code multiaz destroy}: stops the deployment and removes its state directory, and in the netns
 * topology the namespaces, veth pairs and bridge made for it.
 */
@Command(name = "destroy", description = "Stop everything and delete the state dir (all data).")
final class DestroyCommand implements Callable<Integer> {
    @Mixin
    StateDirOption stateDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LocalSite site = new LocalSite(stateDir.path());
        if (!Files.exists(site.root())) {
            out.println("nothing to destroy: " + site.root() + " does not exist");
            return 0;
        }
        if (!site.hasLayout()) {
            throw new UserError(site.root() + " has no multiaz.yaml, so it is not a multiaz state dir; "
                    + "not removing it (check --state-dir)");
        }
        new Stopper(site, out).stop(LocalSite.ZONES);
        io.multiaz.config.Layout layout = site.layout();
        if (layout.topology().isNetns()) {
            // down keeps the network (up reuses it); destroy removes what this state dir's up made
            new NetnsTopology(layout, site.root(), out).tearDown();
        }
        delete(site.root());
        out.println("removed " + site.root());
        return 0;
    }

    private static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage()
                    + "; remove it by hand once nothing uses it", e);
        }
    }
}
