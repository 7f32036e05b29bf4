package io.multiaz.endpoint;

import io.multiaz.process.Command;
import io.multiaz.process.ProcessException;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the {@code nft} and {@code conntrack} programs (Debian packages {@code nftables} and
 * {@code conntrack}). We drive the programs rather than netlink from Java: no maintained Java
 * netlink library speaks nf_tables, and {@code nft -f} gives us what we need most, an atomic
 * transaction per update, with the same syntax an operator reads back with {@code nft list}.
 */
public final class Nft {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Keeps 4 Mi characters of output: {@code nft -j list …} answers are parsed whole. */
    private static final ProcessRunner RUNNER = new ProcessRunner(4 << 20, ProcessRunner.DEFAULT_DRAIN_GRACE);
    private static final List<Path> SEARCH = List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"));

    private static final java.util.regex.Pattern DELETED =
            java.util.regex.Pattern.compile("(\\d+) flow entries have been deleted");

    private Nft() {
    }

    /**
     * The base name of the tables multiaz owns for one state dir: {@code multiaz_} and 8 hex digits of
     * its path's hash; the table of the cluster in slot 0 (the demo cluster of {@code multiaz up}).
     */
    public static String tableName(Path stateDir) {
        return "multiaz_" + String.format("%08x", stateDir.toAbsolutePath().normalize().toString().hashCode());
    }

    /**
     * The table of the cluster in {@code slot} of state dir {@code stateDir}: {@link #tableName(Path)}
     * for slot 0, that name and {@code _<slot>} for the others. One table per cluster, so the
     * controller of one cluster never flushes another's rules.
     */
    public static String tableName(Path stateDir, int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("cluster slot must be at least 0, got " + slot);
        }
        return slot == 0 ? tableName(stateDir) : tableName(stateDir) + "_" + slot;
    }

    /** Whether {@code table} is one of the tables {@link #tableName(Path, int)} names for base name {@code base}. */
    static boolean ownedTable(String base, String table) {
        return table.equals(base) || table.startsWith(base + "_") && table.length() > base.length() + 1
                && table.substring(base.length() + 1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The names of the {@code ip} tables in {@code nft -j list tables} output. */
    static List<String> ipTables(String json) {
        List<String> names = new ArrayList<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode item : io.multiaz.json.Json.mapper().readTree(json)
                    .path("nftables")) {
                com.fasterxml.jackson.databind.JsonNode t = item.get("table");
                if (t != null && "ip".equals(t.path("family").asText())) {
                    names.add(t.path("name").asText());
                }
            }
        } catch (IOException e) {
            throw new EndpointException("cannot read nft's table list: " + e.getMessage(), e);
        }
        return names;
    }

    /**
     * Deletes every table of state dir {@code stateDir} (one per cluster: the base name and each
     * {@code <base>_<slot>}), and no other table; returns the names it deleted (none when nft is
     * missing).
     */
    public static List<String> deleteAll(Path stateDir) {
        if (program("nft") == null) {
            return List.of();
        }
        Result r = run(List.of(nft(), "-j", "list", "tables"), null);
        if (r.exit() != 0) {
            throw new EndpointException("cannot list the nftables tables: " + r.text().strip()
                    + "; list them with nft list tables and delete those named " + tableName(stateDir)
                    + "* with nft delete table ip <name>");
        }
        String base = tableName(stateDir);
        List<String> deleted = new ArrayList<>();
        for (String table : ipTables(r.text())) {
            if (ownedTable(base, table) && delete(table)) {
                deleted.add(table);
            }
        }
        return deleted;
    }

    /** Why the kernel path cannot be used here, or null when it can (root or CAP_NET_ADMIN, and nft works). */
    public static String unavailableReason() {
        if (program("nft") == null) {
            return "the nft program is missing (install the Debian package nftables)";
        }
        try {
            Result r = run(List.of(program("nft"), "list", "tables"), null);
            return r.exit() == 0 ? null : "nft cannot read the ruleset (" + r.text().strip()
                    + "); the agent needs root or CAP_NET_ADMIN";
        } catch (EndpointException e) {
            return e.getMessage();
        }
    }

    /** Applies {@code script} as one transaction ({@code nft -f -}). */
    public static void apply(String script) {
        Result r = run(List.of(nft(), "-f", "-"), script);
        if (r.exit() != 0) {
            throw new EndpointException("nft rejected the endpoint rules: " + r.text().strip()
                    + "; nothing was changed (nft applies a file as one transaction)");
        }
    }

    /** {@code nft -j list counters table ip <table>}, or null when the table does not exist. */
    public static String countersJson(String table) {
        Result r = run(List.of(nft(), "-j", "list", "counters", "table", "ip", table), null);
        return r.exit() == 0 ? r.text() : null;
    }

    /** Whether table {@code ip <table>} exists. */
    public static boolean exists(String table) {
        return program("nft") != null && run(List.of(nft(), "list", "table", "ip", table), null).exit() == 0;
    }

    /** Deletes table {@code ip <table>} if it exists; returns whether it did. */
    public static boolean delete(String table) {
        if (program("nft") == null || !exists(table)) {
            return false;
        }
        Result r = run(List.of(nft(), "delete", "table", "ip", table), null);
        if (r.exit() != 0 && exists(table)) {
            throw new EndpointException("cannot delete nftables table " + table + ": " + r.text().strip()
                    + "; remove it with: nft delete table ip " + table);
        }
        return true;
    }

    /** One client end of a connection through an endpoint, as conntrack saw it. */
    public record Client(String address, int port) {
    }

    /**
     * Forgets the kernel's NAT state of connections from an endpoint to one member
     * ({@code conntrack -D}), so none keeps talking to a member the endpoint left. Returns the
     * client ends of the connections whose entries were deleted (none when conntrack is not installed).
     */
    public static List<Client> forgetConnections(String endpointAddress, int endpointPort, int memberPort) {
        String conntrack = program("conntrack");
        if (conntrack == null) {
            return List.of();
        }
        Result r = run(List.of(conntrack, "-D", "-p", "tcp", "--orig-dst", endpointAddress, "--orig-port-dst",
                Integer.toString(endpointPort), "--reply-port-src", Integer.toString(memberPort)), null);
        // one line per deleted entry, then "conntrack v1.4.7 (conntrack-tools): N flow entries have been
        // deleted." (exit 1 when none matched)
        return clients(r.text());
    }

    private static final java.util.regex.Pattern ORIGINAL =
            java.util.regex.Pattern.compile("\\bsrc=(\\S+) dst=\\S+ sport=(\\d+) dport=\\d+");

    /** The {@code ss} filter of the client ends {@code clients} of connections to the endpoint. */
    static List<String> socketFilter(String endpointAddress, int endpointPort, List<Client> clients) {
        List<String> f = new java.util.ArrayList<>(List.of("dst", endpointAddress, "and", "dport", "=",
                ":" + endpointPort, "and", "("));
        for (int i = 0; i < clients.size(); i++) {
            if (i > 0) {
                f.add("or");
            }
            f.addAll(List.of("sport", "=", ":" + clients.get(i).port()));
        }
        f.add(")");
        return f;
    }

    /** The original source (the client's end) of every entry {@code conntrack -L/-D} printed. */
    static List<Client> clients(String conntrackOutput) {
        List<Client> clients = new java.util.ArrayList<>();
        for (String line : conntrackOutput.split("\n")) {
            java.util.regex.Matcher m = ORIGINAL.matcher(line);
            if (!line.startsWith("conntrack ") && m.find()) {
                clients.add(new Client(m.group(1), Integer.parseInt(m.group(2))));
            }
        }
        return clients;
    }

    /**
     * Aborts the sockets of this network namespace that are the client ends of {@code clients}'
     * connections to the endpoint ({@code ss -K}, iproute2): a client blocked on a writer that was
     * cut off gets "connection aborted" at once instead of waiting for its retransmissions or its
     * socket timeout, and reconnects to the new writer. Clients on other hosts are not here (their
     * next packet meets the new rule and the new writer answers it with a reset). Returns how many
     * sockets were aborted; 0 when {@code ss} is missing or the kernel cannot destroy sockets.
     */
    public static int abortLocalSockets(String endpointAddress, int endpointPort, List<Client> clients) {
        String ss = program("ss");
        if (ss == null || clients.isEmpty()) {
            return 0;
        }
        int aborted = 0;
        for (int from = 0; from < clients.size(); from += 50) {
            List<Client> batch = clients.subList(from, Math.min(clients.size(), from + 50));
            List<String> cmd = new java.util.ArrayList<>(List.of(ss, "-K", "-t", "-n", "-H"));
            cmd.addAll(socketFilter(endpointAddress, endpointPort, batch));
            Result r = run(cmd, null);
            aborted += (int) r.text().lines().filter(l -> l.contains(endpointAddress + ":" + endpointPort)).count();
        }
        return aborted;
    }

    private static String nft() {
        String p = program("nft");
        if (p == null) {
            throw new EndpointException("the nft program is missing; install the Debian package nftables "
                    + "(apt-get install nftables) or choose the netty data path");
        }
        return p;
    }

    private static String program(String name) {
        for (Path dir : SEARCH) {
            Path p = dir.resolve(name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private record Result(int exit, String text) {
    }

    private static Result run(List<String> command, String stdin) {
        Command c = Command.of(Path.of(command.getFirst()).getFileName().toString(),
                "check the kernel's nftables state with nft list ruleset", command);
        try {
            ProcessResult r = RUNNER.run(stdin == null ? c : c.withInput(stdin), TIMEOUT);
            return new Result(r.exitCode(), r.output());
        } catch (ProcessException e) {
            throw new EndpointException(e.getMessage(), e);
        }
    }
}
