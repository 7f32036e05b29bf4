package io.multiaz.engine;

import io.multiaz.model.Credentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Finishes a new cluster on its first writer: the replication role, the superuser's password, the
 * master user with its grants, the application database owned by it, and the standbys' slots.
 * Every step checks before it creates and re-applies attributes and passwords, so a bootstrap that
 * crashed midway is completed by simply running it again.
 *
 * <p>Passwords are sent as SCRAM-SHA-256 verifiers ({@link PgPasswords}), so they never appear in
 * clear text in statements or the server log.
 *
 * <p>Thread safety: not thread-safe; one call at a time per instance.
 */
final class PgRoles {
    private static final Logger log = LoggerFactory.getLogger(PgRoles.class);

    private final EngineSettings settings;
    private final PgConnector connector;

    PgRoles(EngineSettings settings, PgConnector connector) {
        this.settings = settings;
        this.connector = connector;
    }

    /**
     * Creates or updates roles, database and slots; idempotent.
     *
     * @throws EngineException when the server is not a running primary or a statement fails
     */
    void completeBootstrap(List<String> standbySlots) {
        String me = settings.instance().name();
        Credentials cr = settings.credentials();
        try (Connection c = connector.open("postgres", PgConnector.ADMIN_TIMEOUT)) {
            c.setAutoCommit(true);
            ensureRole(c, cr.replicationUser(), "REPLICATION LOGIN");
            ensureRole(c, cr.masterUser(), "LOGIN CREATEDB CREATEROLE");
            PgPasswords.set(c, cr.superuser(), cr.superuserPassword());
            PgPasswords.set(c, cr.replicationUser(), cr.replicationPassword());
            PgPasswords.set(c, cr.masterUser(), cr.masterPassword());
            String master = ident(cr.masterUser());
            execute(c, "GRANT pg_monitor, pg_signal_backend TO " + master);
            execute(c, "GRANT ALL ON SCHEMA public TO " + master);
            ensureDatabase(c, settings.databaseName(), master);
            PgSyncStandbys.ensureSlots(c, standbySlots);
            log.info("bootstrap of {} complete: roles {}, {}, database {}, slots {}", me, cr.replicationUser(),
                    cr.masterUser(), settings.databaseName(), standbySlots);
        } catch (SQLException e) {
            throw new EngineException("completing the bootstrap on " + me + " failed: " + e.getMessage()
                    + "; check that it runs as the writer and accepts connections at " + connector.address()
                    + ", then run it again (it is safe to repeat)", e);
        }
    }

    private void ensureRole(Connection c, String role, String attributes) throws SQLException {
        boolean exists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
        execute(c, (exists ? "ALTER ROLE " : "CREATE ROLE ") + ident(role) + " WITH " + attributes);
        if (!exists) {
            log.info("created role {}", role);
        }
    }

    private void ensureDatabase(Connection c, String database, String ownerIdent) throws SQLException {
        if ("postgres".equals(database)) {
            return;
        }
        if (exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
            execute(c, "ALTER DATABASE " + ident(database) + " OWNER TO " + ownerIdent);
            return;
        }
        execute(c, "CREATE DATABASE " + ident(database) + " OWNER " + ownerIdent);
        log.info("created database {}", database);
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, value);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A quoted SQL identifier; embedded double quotes are doubled. */
    static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
