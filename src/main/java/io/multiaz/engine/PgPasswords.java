package io.multiaz.engine;

import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Sets role passwords without sending them: the driver computes a SCRAM-SHA-256 verifier here
 * (random salt, 4096 iterations) and sends {@code ALTER USER "role" PASSWORD 'SCRAM-SHA-256$4096:…'},
 * so the clear text reaches neither the server nor its log, even with {@code log_statement = all}.
 * The server stores the verifier as it is, as it would have stored its own hash of the password.
 */
public final class PgPasswords {
    private static final String SCRAM = "scram-sha-256";

    private PgPasswords() {
    }

    /**
     * Gives {@code role} the password {@code password} on the server {@code c} is connected to, as
     * a SCRAM-SHA-256 verifier; {@code c} needs the right to alter the role (a superuser, or
     * CREATEROLE over it).
     *
     * @throws SQLException when the server refuses the statement
     */
    public static void set(Connection c, String role, String password) throws SQLException {
        // the driver wipes the array it is given once the verifier is computed
        c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), SCRAM);
    }
}
