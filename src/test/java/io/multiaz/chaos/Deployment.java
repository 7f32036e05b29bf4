package io.multiaz.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.multiaz.json.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One multiaz deployment driven through its command line, as an operator would: {@code up},
 * {@code status --json}, {@code down}/{@code destroy} — by the launcher ({@code <repo>/multiaz},
 * bench/chaos) or in this JVM (the CI's short campaign, which must not rebuild the product). Reads from the status
 * document what the faults and the checker need: members with their pids, hosts and ports, the
 * writer, the endpoints and, in the netns topology, each zone's network namespace.
 */
final class Deployment {
    /** Runs one multiaz command; its standard output, or an IOException saying what failed. */
    interface Command {
        String run(Duration timeout, List<String> args) throws IOException, InterruptedException;
    }

    private final Command command;
    private final Path stateDir;
    private final int basePort;
    private final String topology;

    Deployment(Command command, Path stateDir, int basePort, String topology) {
        this.command = command;
        this.stateDir = stateDir;
        this.basePort = basePort;
        this.topology = topology;
    }

    /** Commands run by the launcher script {@code launcher}, its messages passed through to stderr. */
    static Command launcher(Path launcher) {
        return (timeout, args) -> {
            List<String> cmd = new ArrayList<>();
            cmd.add(launcher.toString());
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("multiaz " + String.join(" ", args) + " did not finish within " + timeout);
            }
            if (p.exitValue() != 0) {
                throw new IOException("multiaz " + String.join(" ", args) + " failed with exit status "
                        + p.exitValue() + "; see its messages above");
            }
            return new String(out, StandardCharsets.UTF_8);
        };
    }

    /** Commands run in this JVM (agents are still separate processes, as {@code up} spawns them). */
    static Command inProcess() {
        return (timeout, args) -> {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int exit = io.multiaz.cli.MultiazCommand.run(new java.io.PrintWriter(out, true),
                    new java.io.PrintWriter(err, true), args.toArray(String[]::new));
            if (exit != 0) {
                throw new IOException("multiaz " + String.join(" ", args) + " failed: " + err.toString().strip());
            }
            return out.toString();
        };
    }

    /** One member as status --json shows it. */
    record Member(String name, String az, String role, String state, String host, int port, long timeline,
                  boolean streaming, long agentPid, long serverPid) {
        String hostPort() {
            return host + ":" + port;
        }
    }

    /** What a status document says, parsed. */
    record Status(String leader, List<Member> members, String writerEndpoint, String readerEndpoint,
                  Map<String, String> namespaces, String endpointsOwner) {
        Optional<Member> writer() {
            return members.stream().filter(m -> m.name().equals(leader)).findFirst();
        }

        Optional<Member> member(String name) {
            return members.stream().filter(m -> m.name().equals(name)).findFirst();
        }

        /** A leader, every member running, every reader streaming. */
        boolean healthy() {
            return leader != null && members.stream().allMatch(m -> m.state().equals("running"))
                    && members.stream().filter(m -> m.role().equals("reader")).allMatch(Member::streaming)
                    && members.stream().filter(m -> m.role().equals("writer")).count() == 1;
        }
    }

    Path stateDir() {
        return stateDir;
    }

    String topology() {
        return topology;
    }

    void up() throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("up", "--base-port", Integer.toString(basePort), "--timeout",
                "240s"));
        if (!topology.equals("local")) {
            args.add("--topology");
            args.add(topology);
        }
        run(Duration.ofMinutes(5), args.toArray(String[]::new));
    }

    /** {@code up} of an existing deployment: restarts what is not running. */
    void heal() throws IOException, InterruptedException {
        run(Duration.ofMinutes(5), "up", "--timeout", "240s");
    }

    void down() throws IOException, InterruptedException {
        run(Duration.ofMinutes(2), "down");
    }

    void destroy() throws IOException, InterruptedException {
        run(Duration.ofMinutes(2), "destroy");
    }

    void switchover() throws IOException, InterruptedException {
        run(Duration.ofMinutes(1), "switchover");
    }

    Status status() throws IOException, InterruptedException {
        JsonNode s = Json.mapper().readTree(run(Duration.ofSeconds(30), "status", "--json"));
        List<Member> members = new ArrayList<>();
        for (JsonNode m : s.path("members")) {
            members.add(new Member(m.path("name").asText(), m.path("az").asText(), m.path("role").asText(),
                    m.path("state").asText(), m.path("host").asText(), m.path("port").asInt(),
                    m.path("timeline").asLong(), m.path("streaming").asBoolean(), m.path("agentPid").asLong(),
                    m.path("serverPid").asLong()));
        }
        Map<String, String> namespaces = new LinkedHashMap<>();
        s.path("namespaces").fields().forEachRemaining(e -> namespaces.put(e.getKey(), e.getValue().asText()));
        String leader = s.path("leader").isNull() || s.path("leader").isMissingNode() ? null : s.path("leader").asText();
        return new Status(leader, members, s.path("endpoints").path("writer").asText(null),
                s.path("endpoints").path("reader").asText(null), namespaces,
                s.path("endpoints").path("owner").asText(null));
    }

    /** The pid of the agent labelled {@code label} (a zone, or an endpoints agent), from its pid file. */
    long agentPid(String label) throws IOException {
        return Long.parseLong(java.nio.file.Files.readString(new io.multiaz.config.Layout.Paths(stateDir)
                .agentPidFile(label)).strip());
    }

    /**
     * The zone whose ZooKeeper peer leads the quorum now ({@code srvr} on each peer: the demo
     * cluster's member of a zone runs on the zone's base port, its peer's client port is 2 above),
     * or "none" when no peer says it leads.
     */
    String zooKeeperLeaderZone(Status s) {
        return s.members().stream()
                .filter(m -> io.multiaz.store.ServingPeerChooser.mode(
                        new java.net.InetSocketAddress(m.host(), m.port() + 2), 1000).filter("leader"::equals).isPresent())
                .map(Member::az).findFirst().orElse("none");
    }

    /** Waits until the deployment is healthy; the time it took, or empty when {@code timeout} passed. */
    Optional<Duration> awaitHealthy(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (status().healthy()) {
                    return Optional.of(Duration.ofNanos(System.nanoTime() - start));
                }
            } catch (IOException | RuntimeException e) {
                // a status call while agents restart may fail; ask again
            }
            Thread.sleep(500);
        }
        return Optional.empty();
    }

    /** A JDBC URL and credentials from a libpq URI of status --json. */
    record Jdbc(String url, String user, String password) {
        static Jdbc of(String libpqUri, String options) {
            URI u = URI.create(libpqUri);
            String[] userInfo = u.getUserInfo().split(":", 2);
            return new Jdbc("jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort())
                    + u.getPath() + "?" + options, userInfo[0], userInfo[1]);
        }

        Jdbc at(String hostPort) {
            String rest = url.substring(url.indexOf('/', "jdbc:postgresql://".length()));
            return new Jdbc("jdbc:postgresql://" + hostPort + rest, user, password);
        }
    }

    private String run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--state-dir");
        all.add(stateDir.toString());
        return command.run(timeout, all);
    }
}
