package io.multiaz.engine;

import java.util.Set;

/**
 * The server settings multiaz decides itself, which neither a parameter group nor a spec may set:
 * the engine refuses them in an instance's parameters, the RDS API in a parameter group (one list,
 * so the API never accepts a value the engine would then refuse to start a server with).
 */
public final class ManagedSettings {
    public static final Set<String> NAMES = Set.of("listen_addresses", "port", "unix_socket_directories",
            "cluster_name", "hot_standby", "synchronous_commit", "synchronous_standby_names", "primary_conninfo",
            "primary_slot_name", "recovery_target_timeline", "data_directory", "config_file", "hba_file",
            "ident_file", "external_pid_file", "password_encryption", "logging_collector", "wal_level",
            "archive_mode", "archive_command", "archive_library", "archive_timeout", "restore_command",
            "archive_cleanup_command");

    private ManagedSettings() {
    }
}
