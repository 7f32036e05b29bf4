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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code multiaz destroy}: stops the deployment and removes its state directory, the symbolic link
 * that led to it ({@code ./.multiaz} when {@code up} put the data under /var/lib/multiaz), and in the
 * netns topology the namespaces, veth pairs and bridge made for it.
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
        LocalSite site = stateDir.site();
        Optional<Path> link = link(stateDir.choice());
        if (!Files.exists(site.root())) {
            out.println("nothing to destroy: " + site.root() + " does not exist");
            link.ifPresent(l -> removeLink(l, out));
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
        link.ifPresent(l -> removeLink(l, out));
        return 0;
    }

    /** The symbolic link through which the state directory was found, if it was. */
    private static Optional<Path> link(StateDirChoice choice) {
        Path named = switch (choice) {
            case StateDirChoice.Linked l -> l.link();
            case StateDirChoice.Given g -> g.dir();
            default -> null;
        };
        return Optional.ofNullable(named).filter(Files::isSymbolicLink);
    }

    private static void removeLink(Path link, PrintWriter out) {
        try {
            Files.deleteIfExists(link);
            out.println("removed the link " + link);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the link " + link + ": " + e.getMessage()
                    + "; remove it by hand (rm " + link + ")", e);
        }
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
