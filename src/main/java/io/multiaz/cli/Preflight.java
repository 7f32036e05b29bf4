package io.multiaz.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks made before anything is started, so bad input fails with one line and changes nothing. */
final class Preflight {
    private Preflight() {
    }

    /** The state directory exists or can be made, is writable, and the server's OS user can reach it. */
    static void stateDir(Path dir, String runAs) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("state directory " + dir + " is a file; choose another path with --state-dir");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", "");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new UserError("state directory " + dir + " is not writable (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); choose a writable path with --state-dir");
        }
        if (runAs != null) {
            StateDirs.reach(runAs).blockedAt(dir).ifPresent(p -> {
                throw new UserError("the " + runAs + " OS user that runs PostgreSQL cannot reach " + dir + " because "
                        + p + " is not searchable by others; choose a state dir elsewhere (e.g. --state-dir /var/tmp/"
                        + "multiaz) or run: chmod o+x " + p);
            });
        }
    }

    /** {@code host:port} is free to bind; otherwise a one-line error naming what wanted it. */
    static void portFree(String host, int port, String what) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UserError("port " + port + " on " + host + " (" + what + ") is in use by another program; "
                    + "stop that program, or start on other ports with ./multiaz up --base-port N "
                    + "(new state dirs only; see README)");
        }
    }
}
