package io.multiaz.engine;

import io.multiaz.model.InstanceSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens JDBC connections as the internal superuser: to the local server over TCP to the instance's
 * own address (pg_hba.conf admits it with scram-sha-256, so {@code allowedCidrs} must include that
 * address), and to another member's server as a rewind source. Short connect and login timeouts
 * keep a hung server from stalling the HA loop.
 *
 * <p>Thread safety: immutable; each call returns a new connection the caller closes.
 */
final class PgConnector {
    /** Socket timeout for status queries, which must answer quickly or count as "not accepting". */
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);
    /** Socket timeout for administrative statements (CREATE DATABASE waits for a checkpoint). */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(120);

    private final EngineSettings settings;

    PgConnector(EngineSettings settings) {
        this.settings = settings;
    }

    /** A new connection to {@code database} whose statements fail after {@code socketTimeout}. */
    Connection open(String database, Duration socketTimeout) throws SQLException {
        return DriverManager.getConnection(url(address(), database), properties(socketTimeout));
    }

    /** As {@link #open}, to another member's server (e.g. a rewind source) at {@code host}:{@code port}. */
    Connection openTo(String host, int port, String database, Duration socketTimeout) throws SQLException {
        return DriverManager.getConnection(url(host(host) + ":" + port, database), properties(socketTimeout));
    }

    private Properties properties(Duration socketTimeout) {
        Properties p = new Properties();
        p.setProperty("user", settings.credentials().superuser());
        p.setProperty("password", settings.credentials().superuserPassword());
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "2");
        p.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
        p.setProperty("ApplicationName", "multiaz_agent");
        p.setProperty("assumeMinServerVersion", "15");
        return p;
    }

    /** What connection failures name, e.g. {@code 127.0.0.1:5432}. */
    String address() {
        InstanceSpec me = settings.instance();
        return host(me.host()) + ":" + me.port();
    }

    private static String url(String address, String database) {
        return "jdbc:postgresql://" + address + "/" + database;
    }

    /** The address to dial: a wildcard listen address means "this host", reached on loopback. */
    private static String host(String listen) {
        return switch (listen) {
            case "*", "0.0.0.0" -> "127.0.0.1";
            case "::" -> "[::1]";
            default -> listen.contains(":") && !listen.startsWith("[") ? "[" + listen + "]" : listen;
        };
    }
}
