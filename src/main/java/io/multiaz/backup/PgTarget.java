package io.multiaz.backup;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One PostgreSQL server as pgBackRest reaches it on this host: its data directory, and its port and
 * unix socket directory for a local connection as {@code user} (pgBackRest's {@code pgN-path},
 * {@code pgN-port}, {@code pgN-socket-path}, {@code pgN-user}).
 *
 * <p>pgBackRest runs as the server's OS user ({@code postgres}) and connects over the socket with
 * peer authentication; when {@code user} is another role (the cluster's superuser, e.g.
 * {@code dbadmin}) the server needs an ident map letting the OS user in as that role:
 * {@code local all all peer map=multiaz} in pg_hba.conf, and in pg_ident.conf
 * {@code multiaz postgres dbadmin} plus {@code multiaz /^(.*)$ \1} (every OS user still as its
 * own role). Backups need no replication connection.
 *
 * @param dataDir   the server's data directory (absolute)
 * @param port      its port
 * @param socketDir its {@code unix_socket_directories} entry (absolute)
 * @param user      a superuser role to connect as (pg_backup_start needs one, or a role granted it)
 */
public record PgTarget(Path dataDir, int port, Path socketDir, String user) {
    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    public PgTarget {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(socketDir, "socketDir");
        if (!dataDir.isAbsolute() || !socketDir.isAbsolute()) {
            throw new IllegalArgumentException("pgBackRest needs absolute paths, got data dir " + dataDir
                    + " and socket dir " + socketDir);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a TCP port: " + port);
        }
        if (user == null || !ROLE.matcher(user).matches()) {
            throw new IllegalArgumentException("a plain role name is required for pgBackRest's connection, got "
                    + user);
        }
    }
}
