package io.multiaz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;
import io.multiaz.process.Command;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the real multiaz command line in-process for tests, capturing its output. */
final class Cli {
    record Result(int exit, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = MultiazCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    /**
     * Runs the multiaz command line as a process of its own (this JVM's java and class path, the
     * CLI's own logging) in {@code workDir}, without {@code $MULTIAZ_STATE_DIR}: as a user runs
     * {@code ./multiaz} in a checkout. Its standard output and error come merged, as {@code out} and
     * {@code err} alike.
     */
    static Result runIn(Path workDir, Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), "io.multiaz.Main"));
        argv.addAll(List.of(args));
        ProcessResult r = new ProcessRunner().run(Command.of("multiaz " + String.join(" ", args),
                "see the output above", argv).inDirectory(workDir).withoutInheritedEnv("MULTIAZ_STATE_DIR"), timeout);
        return new Result(r.exitCode(), r.output(), r.output());
    }

    /** The JSON document in {@code output} (which may carry log lines around it). */
    static JsonNode json(String output) throws IOException {
        int start = output.indexOf('{');
        return Json.mapper().readTree(output.substring(start, output.lastIndexOf('}') + 1));
    }

    static JsonNode status(Path stateDir) throws IOException {
        Result r = run("status", "--json", "--state-dir", stateDir.toString());
        if (r.exit() != 0) {
            throw new IllegalStateException("status failed: " + r.err());
        }
        return Json.mapper().readTree(r.out());
    }

    static JsonNode member(JsonNode status, String name) {
        for (JsonNode m : status.get("members")) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no member " + name + " in " + status);
    }

    /** A JDBC connection from a libpq URI as printed by status. */
    static Connection connect(String dsn) throws SQLException {
        URI uri = URI.create(dsn);
        String[] userInfo = uri.getUserInfo().split(":", 2);
        String url = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                + uri.getPath() + "?connectTimeout=3&socketTimeout=30";
        return DriverManager.getConnection(url, userInfo[0], userInfo[1]);
    }

    /** The "Mode" a ZooKeeper peer reports to {@code srvr} on 127.0.0.1:{@code clientPort}, or "" when it does not serve. */
    static String zooKeeperMode(int clientPort) {
        return zooKeeperMode("127.0.0.1", clientPort);
    }

    /** The "Mode" a ZooKeeper peer reports to {@code srvr} on {@code host}:{@code clientPort}, or "" when it does not serve. */
    static String zooKeeperMode(String host, int clientPort) {
        return io.multiaz.store.ServingPeerChooser.mode(new java.net.InetSocketAddress(host, clientPort), 1000).orElse("");
    }

    /** A fresh state dir below /tmp that the postgres OS user can traverse. */
    static Path stateDir(String name) throws IOException {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "multiaz-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        return base.resolve(name);
    }

    /** Sends a signal to a process by pid (tests only touch pids they read from their own cluster). */
    static void signal(long pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    /** {@code pid} and all its descendants. */
    static List<Long> tree(long pid) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(p -> {
            pids.add(p.pid());
            p.descendants().forEach(d -> pids.add(d.pid()));
        });
        return pids;
    }
}
