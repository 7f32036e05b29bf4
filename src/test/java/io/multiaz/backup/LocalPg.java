package io.multiaz.backup;

import io.multiaz.process.Command;
import io.multiaz.process.ProcessResult;
import io.multiaz.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One PostgreSQL 15 server of a test, run as the {@code postgres} OS user under {@code dir}: data
 * directory, unix socket directory, pgBackRest work directory and server log. Connections are
 * local only (no TCP), as superuser {@code dbadmin} through the peer ident map multiaz's servers
 * use ({@code local all all peer map=multiaz}).
 */
final class LocalPg {
    static final String SUPERUSER = "dbadmin";
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String OS_USER = "postgres";
    private static final ProcessRunner RUNNER = new ProcessRunner();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    final String name;
    final Path dir;
    final int port;

    LocalPg(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir;
        this.port = port;
    }

    Path data() {
        return dir.resolve("data");
    }

    Path socket() {
        return dir.resolve("socket");
    }

    Path work() {
        return dir.resolve("pgbackrest");
    }

    Path log() {
        return dir.resolve("server.log");
    }

    PgTarget target() {
        return new PgTarget(data(), port, socket(), SUPERUSER);
    }

    /** initdb as multiaz does it (checksums, peer locally) with the ident map, then this server's settings. */
    void initdb(String archiveCommand) throws IOException {
        run("initdb of " + name, BIN.resolve("initdb").toString(), "-D", data().toString(), "--data-checksums",
                "-U", SUPERUSER, "--auth-local=peer", "--auth-host=scram-sha-256", "--no-instructions");
        // replication only for this test's pg_basebackup; multiaz's standbys replicate over TCP
        write(data().resolve("pg_hba.conf"), "local all all peer map=multiaz\nlocal replication all peer map=multiaz\n");
        write(data().resolve("pg_ident.conf"), "multiaz postgres " + SUPERUSER + "\nmultiaz /^(.*)$ \\1\n");
        appendSettings(archiveCommand);
    }

    /** A streaming standby of {@code upstream} cloned with pg_basebackup over its socket. */
    void cloneFrom(LocalPg upstream, String archiveCommand) throws IOException {
        run("pg_basebackup of " + name, BIN.resolve("pg_basebackup").toString(), "-D", data().toString(),
                "-h", upstream.socket().toString(), "-p", Integer.toString(upstream.port), "-U", SUPERUSER,
                "-X", "stream", "-R", "-c", "fast");
        // the clone carries the upstream's settings; the last ones win
        appendSettings(archiveCommand);
    }

    /** Settings a restored data directory needs to start here (it carries the source writer's). */
    void takeOverRestoredData() throws IOException {
        Files.createDirectories(socket());
        chown(socket());
        Files.writeString(data().resolve("postgresql.conf"), "\nport = " + port + "\nunix_socket_directories = '"
                + socket() + "'\n", java.nio.file.StandardOpenOption.APPEND);
    }

    private void appendSettings(String archiveCommand) throws IOException {
        Files.createDirectories(socket());
        chown(socket());
        String conf = "\n# test settings\nport = " + port + "\nlisten_addresses = ''\nunix_socket_directories = '"
                + socket() + "'\nwal_level = replica\narchive_mode = always\narchive_command = '"
                + archiveCommand.replace("'", "''") + "'\nhot_standby = on\nwal_keep_size = '256MB'\n"
                + "log_line_prefix = '%m [%p] '\n";
        Files.writeString(data().resolve("postgresql.conf"), conf, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Starts the server and returns its postmaster's pid (pg_ctl daemonizes it). */
    long start() throws IOException {
        run("start of " + name, BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", log().toString(),
                "-w", "-t", "60", "start");
        return postmasterPid().orElseThrow(() -> new AssertionError(name + " started without a postmaster.pid"));
    }

    void stop() {
        run("stop of " + name, BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
    }

    void promote() {
        run("promotion of " + name, BIN.resolve("pg_ctl").toString(), "-D", data().toString(), "-w", "promote");
    }

    Optional<Long> postmasterPid() throws IOException {
        Path pidFile = data().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Files.readAllLines(pidFile).stream().findFirst().map(String::strip).map(Long::parseLong);
    }

    /** The output of {@code sql} run by psql as the superuser (unaligned, tuples only). */
    String sql(String sql) {
        return run("psql on " + name, "psql", "-h", socket().toString(), "-p", Integer.toString(port), "-U", SUPERUSER,
                "-d", "postgres", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql).output().strip();
    }

    long count(String table) {
        return Long.parseLong(sql("SELECT count(*) FROM " + table));
    }

    /** Runs a program as the servers' OS user; throws with its output when it fails. */
    static ProcessResult run(String what, String... argv) {
        Command c = Command.of(what, "see the output above", List.of(argv)).withoutInheritedEnv("PG")
                .withEnv(Map.of("LC_ALL", "C")).inDirectory(Path.of("/")).asUser(OS_USER);
        return RUNNER.run(c, PATIENCE).requireSuccess();
    }

    /** Gives {@code path} to the servers' OS user (the test runs as root). */
    static void chown(Path path) throws IOException {
        if (!OS_USER.equals(System.getProperty("user.name"))) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER));
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        chown(file);
    }

    /** The lines of the server log holding {@code fragment}. */
    List<String> logLines(String fragment) throws IOException {
        List<String> hits = new ArrayList<>();
        if (Files.exists(log())) {
            for (String line : Files.readAllLines(log())) {
                if (line.contains(fragment)) {
                    hits.add(line);
                }
            }
        }
        return hits;
    }

    @Override
    public String toString() {
        return name + " (port " + port + ")";
    }
}
