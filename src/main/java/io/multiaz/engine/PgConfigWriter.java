package io.multiaz.engine;

import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders and writes the server's configuration files, which multiaz owns entirely:
 * {@code postgresql.conf} (defaults, then an include of {@value #PARAMETERS} with the instance's
 * parameters, then the role's settings; the include can be rewritten and reloaded alone),
 * {@code pg_hba.conf} (peer locally, scram-sha-256 over TCP from the allowed networks, never trust)
 * and the {@code standby.signal} marker. Each file is replaced atomically, so a crash leaves the
 * old or the new version, and the marker is ordered so a half-switched directory reads as a standby.
 *
 * <p>postgresql.conf carries two comment lines read back by {@link #upstreamName} and a setting
 * read back by {@link #syncStandbyNames}: the configuration is the only record of whom a standby
 * follows and which standbys the writer waits for.
 *
 * <p>Thread safety: immutable; callers serialise writes to one data directory.
 */
final class PgConfigWriter {
    static final String CONF = "postgresql.conf";
    static final String HBA = "pg_hba.conf";
    static final String IDENT = "pg_ident.conf";
    /** The peer map of local connections: the server's OS user may connect as the superuser (pgBackRest does). */
    static final String IDENT_MAP = "multiaz";
    static final String STANDBY_SIGNAL = "standby.signal";
    static final String PARAMETERS = "multiaz-parameters.conf";
    private static final String UPSTREAM_MARK = "# multiaz upstream: ";
    private static final String SYNC_NAMES = "synchronous_standby_names";
    private static final Pattern PARAMETER_NAME = Pattern.compile("[a-z_][a-z0-9_.]*");
    private static final Pattern CIDR = Pattern.compile("[0-9A-Fa-f:.]+/[0-9]{1,3}");
    private static final Pattern BARE_CONNINFO_VALUE = Pattern.compile("[A-Za-z0-9_.:-]+");

    /** Settings multiaz derives itself; a parameter group may not override them. */
    static final Set<String> MANAGED = ManagedSettings.NAMES;

    private final EngineSettings settings;
    private final PgFiles files;
    private volatile Map<String, String> parameters;

    PgConfigWriter(EngineSettings settings, PgFiles files) {
        this.settings = settings;
        this.files = files;
        validate(settings.parameters());
        validateNetworks(settings);
        this.parameters = settings.parameters();
    }

    /**
     * Writes {@code next} as the instance's parameters into {@value #PARAMETERS} of {@code dataDir}
     * (and every later {@link #write}); the caller reloads the server. Throws, writing nothing,
     * when a name or value is not acceptable.
     */
    void writeParameters(Path dataDir, Map<String, String> next) {
        useParameters(next);
        files.writeAtomically(dataDir.resolve(PARAMETERS), parametersConf());
    }

    /** Makes {@code next} the parameters of every later {@link #write}; throws, changing nothing, when not acceptable. */
    void useParameters(Map<String, String> next) {
        validate(next);
        parameters = Map.copyOf(next);
    }

    /** The parameters the configuration carries now. */
    Map<String, String> parameters() {
        return parameters;
    }

    String parametersConf() {
        StringBuilder sb = new StringBuilder("# written by multiaz: the instance class's settings and its DB cluster"
                + " parameter group; edits are overwritten\n");
        new java.util.TreeMap<>(parameters).forEach((name, value) -> sb.append(name).append(" = ")
                .append(quote(value)).append('\n'));
        return sb.toString();
    }

    /**
     * Writes postgresql.conf, pg_hba.conf and the standby marker for {@code config} into
     * {@code dataDir}. Does not signal the server; the caller reloads or starts it.
     */
    void write(Path dataDir, PgServerConfig config) {
        Path signal = dataDir.resolve(STANDBY_SIGNAL);
        if (config.role() == ServerRole.STANDBY) {
            files.touch(signal);
        }
        files.writeAtomically(dataDir.resolve(HBA), hbaConf());
        files.writeAtomically(dataDir.resolve(IDENT), identConf());
        files.writeAtomically(dataDir.resolve(PARAMETERS), parametersConf());
        files.writeAtomically(dataDir.resolve(CONF), postgresqlConf(config));
        if (config.role() == ServerRole.PRIMARY) {
            PgFiles.deleteQuietly(signal);
        }
    }

    /** The full postgresql.conf for {@code config}. */
    String postgresqlConf(PgServerConfig config) {
        InstanceSpec me = settings.instance();
        StringBuilder sb = new StringBuilder()
                .append("# postgresql.conf written by multiaz for instance ").append(me.name())
                .append("; edits are overwritten, change the parameter group instead\n")
                .append("# multiaz role: ").append(config.role().name().toLowerCase()).append('\n');
        if (config.upstream() != null) {
            sb.append(UPSTREAM_MARK).append(config.upstream().name()).append('\n');
        }
        sb.append('\n');
        defaults().forEach((name, value) -> sb.append(name).append(" = ").append(quote(value)).append('\n'));
        sb.append("include_if_exists '").append(PARAMETERS).append("'\n");
        settings(config).forEach((name, value) -> sb.append(name).append(" = ").append(quote(value)).append('\n'));
        return sb.toString();
    }

    private Map<String, String> settings(PgServerConfig config) {
        InstanceSpec me = settings.instance();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("listen_addresses", me.host());
        s.put("port", Integer.toString(me.port()));
        s.put("unix_socket_directories", settings.socketDir().toString());
        s.put("cluster_name", me.name());
        s.put("hot_standby", "on");
        s.put("synchronous_commit", "on");
        s.put("password_encryption", "scram-sha-256");
        s.put("logging_collector", "off");
        // a standby ignores synchronous_standby_names; carrying its future value from server start
        // means no reload can race the first commit after promotion (the checkpointer publishes it
        // to shared memory when it starts)
        boolean preset = config.role() == ServerRole.STANDBY && config.syncStandbyNames().isEmpty();
        s.put(SYNC_NAMES, preset ? settings.promotionSyncNames() : config.syncStandbyNames());
        if (config.role() == ServerRole.STANDBY) {
            s.put("recovery_target_timeline", "latest");
        }
        Archiving archiving = settings.archiving();
        if (archiving != null) {
            s.put("archive_mode", "always");
            s.put("archive_command", archiving.archiveCommand());
            s.put("archive_timeout", archiving.archiveTimeout().toSeconds() + "s");
            // no restore_command: a standby with one asks the repository for every segment it waits for
            // and for the next timeline's history when promoted, which made a switchover 2-4 s slower;
            // a standby that lost the writer's WAL is cloned again instead
        }
        if (config.upstream() != null) {
            s.put("primary_conninfo", primaryConninfo(config.upstream()));
            s.put("primary_slot_name", me.slotName());
        }
        return s;
    }

    /** Defaults a parameter group may override; values chosen for fast, lossless failover. */
    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("max_connections", "100");
        d.put("shared_buffers", "128MB");
        d.put("dynamic_shared_memory_type", "posix");
        d.put("wal_level", "replica");
        d.put("wal_log_hints", "on");
        d.put("max_wal_senders", "10");
        d.put("max_replication_slots", "10");
        d.put("wal_keep_size", "256MB");
        d.put("hot_standby_feedback", "on");
        // Short timeouts let a standby notice a dead writer within seconds, not the default minute.
        d.put("wal_receiver_status_interval", "1s");
        d.put("wal_sender_timeout", "5s");
        d.put("wal_receiver_timeout", "5s");
        // a standby re-pointed at a new writer retries its connection this often (default 5 s)
        d.put("wal_retrieve_retry_interval", "500ms");
        d.put("log_line_prefix", "%m [%p] %q%u@%d ");
        d.put("log_timezone", "UTC");
        d.put("timezone", "UTC");
        d.put("datestyle", "iso, mdy");
        d.put("lc_messages", "C");
        d.put("lc_monetary", "C");
        d.put("lc_numeric", "C");
        d.put("lc_time", "C");
        d.put("default_text_search_config", "pg_catalog.english");
        return d;
    }

    private String primaryConninfo(Upstream upstream) {
        return "host=" + conninfoValue(upstream.host())
                + " port=" + upstream.port()
                + " user=" + conninfoValue(settings.credentials().replicationUser())
                + " password=" + conninfoValue(settings.credentials().replicationPassword())
                + " application_name=" + conninfoValue(settings.instance().name())
                + " connect_timeout=2";
    }

    /** The full pg_hba.conf: peer over the local socket, scram-sha-256 from each allowed network. */
    String hbaConf() {
        String replication = settings.credentials().replicationUser();
        StringBuilder sb = new StringBuilder("# pg_hba.conf written by multiaz; edits are overwritten\n")
                .append("local all all peer map=").append(IDENT_MAP).append('\n');
        for (String cidr : settings.allowedCidrs()) {
            sb.append("host replication ").append(hbaName(replication)).append(' ').append(cidr).append(" scram-sha-256\n");
            sb.append("host all all ").append(cidr).append(" scram-sha-256\n");
        }
        return sb.toString();
    }

    /**
     * pg_ident.conf: over the local socket, the server's OS user may connect as the cluster's
     * superuser (pgBackRest runs as that OS user and needs a superuser), and every OS user as the
     * database user of its own name (plain peer authentication).
     */
    String identConf() {
        String osUser = settings.runAs() != null ? settings.runAs() : System.getProperty("user.name");
        return "# pg_ident.conf written by multiaz; edits are overwritten\n"
                + IDENT_MAP + " " + hbaName(osUser) + " " + hbaName(settings.credentials().superuser()) + "\n"
                + IDENT_MAP + " /^(.*)$ \\1\n";
    }

    /** The upstream member name recorded in {@code dataDir}'s postgresql.conf, if any. */
    static Optional<String> upstreamName(Path dataDir) {
        return confLines(dataDir).stream()
                .filter(l -> l.startsWith(UPSTREAM_MARK))
                .map(l -> l.substring(UPSTREAM_MARK.length()).strip())
                .filter(s -> !s.isEmpty())
                .findFirst();
    }

    /** The {@code synchronous_standby_names} recorded in {@code dataDir}'s postgresql.conf ("" if none). */
    static String syncStandbyNames(Path dataDir) {
        String prefix = SYNC_NAMES + " = '";
        return confLines(dataDir).stream()
                .filter(l -> l.startsWith(prefix) && l.endsWith("'"))
                .map(l -> unquote(l.substring(prefix.length(), l.length() - 1)))
                .reduce((first, last) -> last)
                .orElse("");
    }

    private static List<String> confLines(Path dataDir) {
        Path conf = dataDir.resolve(CONF);
        if (!Files.exists(conf)) {
            return List.of();
        }
        try {
            return Files.readAllLines(conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException("could not read " + conf + ": " + e + "; check its permissions", e);
        }
    }

    /**
     * A postgresql.conf value: always single-quoted, which the server accepts for every type. The
     * server's parser treats backslash as an escape inside quotes, so backslashes are doubled too.
     */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String unquote(String quotedBody) {
        StringBuilder sb = new StringBuilder(quotedBody.length());
        for (int i = 0; i < quotedBody.length(); i++) {
            char ch = quotedBody.charAt(i);
            boolean escape = (ch == '\\' || ch == '\'') && i + 1 < quotedBody.length()
                    && (quotedBody.charAt(i + 1) == ch || ch == '\\');
            sb.append(escape ? quotedBody.charAt(++i) : ch);
        }
        return sb.toString();
    }

    /** A libpq connection-string value, quoted when it holds anything but plain characters. */
    static String conninfoValue(String value) {
        if (BARE_CONNINFO_VALUE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String hbaName(String role) {
        return role.matches("[a-z_][a-z0-9_]*") ? role : '"' + role.replace("\"", "\"\"") + '"';
    }

    private static void validate(Map<String, String> parameters) {
        parameters.forEach((name, value) -> {
            if (!PARAMETER_NAME.matcher(name).matches()) {
                throw new EngineException("parameter name '" + name + "' is not a PostgreSQL setting name "
                        + "(lowercase letters, digits, '_' and '.'); fix it in the parameter group");
            }
            if (MANAGED.contains(name)) {
                throw new EngineException("parameter " + name + " is managed by multiaz and cannot be set; "
                        + "remove it from the parameter group");
            }
            if (value == null || value.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
                throw new EngineException("value of parameter " + name + " is missing or spans lines; "
                        + "give it a one-line value in the parameter group");
            }
        });
    }

    private static void validateNetworks(EngineSettings settings) {
        for (String cidr : settings.allowedCidrs()) {
            if (!CIDR.matcher(cidr).matches()) {
                throw new EngineException("allowed network '" + cidr + "' is not in CIDR form (e.g. 10.0.0.0/16); "
                        + "fix the security group rule");
            }
        }
    }
}
