package io.multiaz.cli;

import io.multiaz.config.Layout;
import io.multiaz.model.InstanceSpec;
import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops a local deployment's processes by pid: the agents (SIGTERM: each stops its PostgreSQL and
 * leaves the store cleanly; SIGKILL after a minute), then any PostgreSQL server an agent left
 * behind (fast shutdown, then immediate). Never signals a process it cannot verify as its own.
 */
final class Stopper {
    private static final long AGENT_GRACE_SECONDS = 60;
    private static final long SERVER_GRACE_SECONDS = 30;
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final ProcessRunner RUNNER = new ProcessRunner();

    private final LocalSite site;
    private final PrintWriter out;

    Stopper(LocalSite site, PrintWriter out) {
        this.site = site;
        this.out = out;
    }

    /**
     * Stops the agents of {@code zones} and the servers of their instances; returns how many processes
     * it stopped. With every zone, also the endpoints-only agents (netns topology).
     */
    int stop(List<String> zones) {
        List<ProcessHandle> agents = new ArrayList<>();
        List<String> labels = new ArrayList<>(zones);
        if (zones.containsAll(LocalSite.ZONES)) {
            Layout.ENDPOINTS_AGENTS.stream().filter(l -> !labels.contains(l)).forEach(labels::add);
        }
        for (String az : labels) {
            site.agent(az).ifPresent(p -> {
                p.destroy();
                agents.add(p);
                UpCommand.step(out, "stopping agent " + az + " (pid " + p.pid() + ")");
            });
        }
        for (ProcessHandle p : agents) {
            if (!waitFor(p, AGENT_GRACE_SECONDS)) {
                UpCommand.step(out, "agent pid " + p.pid() + " did not stop in " + AGENT_GRACE_SECONDS + " s; killing it");
                p.destroyForcibly();
                waitFor(p, 10);
            }
        }
        int stopped = agents.size() + stopServers(zones);
        for (String az : labels) {
            deletePidFile(site.paths().agentPidFile(az));
        }
        if (zones.containsAll(LocalSite.ZONES)) {
            removeEndpointRules();
        }
        return stopped;
    }

    /** With every agent stopped, nothing routes to the members any more: remove every cluster's nftables table. */
    private void removeEndpointRules() {
        try {
            for (String table : io.multiaz.endpoint.Nft.deleteAll(site.root())) {
                UpCommand.step(out, "removed the endpoints' nftables table " + table);
            }
        } catch (io.multiaz.endpoint.EndpointException e) {
            UpCommand.step(out, e.getMessage());
        }
    }

    private int stopServers(List<String> zones) {
        if (!site.hasLayout()) {
            return 0;
        }
        Layout layout = site.layout();
        List<Path> dataDirs = new ArrayList<>();
        for (InstanceSpec i : layout.demo().instances()) {
            if (zones.contains(i.az())) {
                dataDirs.add(site.dataDir(layout, i));
            }
        }
        if (zones.containsAll(LocalSite.ZONES)) {
            // the clusters the RDS API created are only in the store; with every agent stopped, any
            // server left under clusters/<cluster>/<instance>/data is an orphan
            dataDirs.addAll(allDataDirs());
        }
        int stopped = 0;
        for (Path dataDir : dataDirs.stream().distinct().toList()) {
            Optional<ProcessHandle> pm = Os.postmaster(dataDir);
            if (pm.isPresent()) {
                UpCommand.step(out, "stopping PostgreSQL of " + dataDir.getParent().getFileName() + " (pid "
                        + pm.get().pid() + ")");
                signal(pm.get(), "INT");
                if (!waitFor(pm.get(), SERVER_GRACE_SECONDS)) {
                    signal(pm.get(), "QUIT");
                    waitFor(pm.get(), 10);
                }
                stopped++;
            }
        }
        return stopped;
    }

    /** Every {@code clusters/<cluster>/<instance>/data} of the state dir. */
    private List<Path> allDataDirs() {
        Path clusters = site.paths().clustersDir();
        List<Path> dirs = new ArrayList<>();
        try (var cs = Files.list(clusters)) {
            for (Path c : cs.filter(Files::isDirectory).toList()) {
                try (var is = Files.list(c)) {
                    is.map(i -> i.resolve("data")).filter(Files::isDirectory).forEach(dirs::add);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return dirs;
        } catch (IOException e) {
            UpCommand.step(out, "cannot list " + clusters + " (" + e.getMessage() + "); PostgreSQL servers of "
                    + "clusters the API created may still run: look for them with ps -C postgres");
        }
        return dirs;
    }

    /** Sends {@code signal} through kill(1): the JDK sends only SIGTERM and SIGKILL, a fast shutdown is SIGINT. */
    private void signal(ProcessHandle p, String signal) {
        Command kill = Command.of("signalling pid " + p.pid(), "stop it with kill -" + signal + " " + p.pid(),
                List.of("kill", "-" + signal, Long.toString(p.pid())));
        try {
            ProcessResult r = RUNNER.run(kill, KILL_TIMEOUT);
            if (!r.succeeded()) {
                UpCommand.step(out, "kill -" + signal + " " + p.pid() + ": " + r.tailText());
            }
        } catch (ProcessException e) {
            if (e.failure() != ProcessException.Failure.INTERRUPTED) {
                throw new UserError(e.getMessage(), e);
            }
            // the interrupt flag is set again: the wait that follows returns at once
        }
    }

    private static boolean waitFor(ProcessHandle p, long seconds) {
        try {
            p.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private static void deletePidFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale pid file is harmless: agent() verifies the process before trusting it
        }
    }
}
