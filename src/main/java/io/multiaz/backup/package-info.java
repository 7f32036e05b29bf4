/**
 * Backups (issue 13): automated backups in the backup window, retention, manual cluster
 * snapshots, restore from a snapshot and point-in-time restore, on pgBackRest.
 *
 * <p>pgBackRest does the work; this package drives it. {@link io.multiaz.backup.RepositoryConfig}
 * writes the deployment's configuration (one encrypted repository, local or S3, its passphrase
 * generated once); {@link io.multiaz.backup.PgBackRest} runs its commands as the servers' OS user:
 * one stanza per cluster, backups from a standby, {@code info} read into
 * {@link io.multiaz.backup.RepositoryInfo}, expiry, restores into a new data directory
 * ({@link io.multiaz.backup.RestoreTarget}), and the {@code archive_command} every member runs. {@link io.multiaz.backup.RecoverySettings}
 * removes what a restore left in {@code postgresql.auto.conf} once the restored server promoted.
 *
 * <p>The agent-side service plugs into the agent as a {@link io.multiaz.runner.ClusterRunner},
 * started by the cluster reconciler for every cluster beside the endpoints; its records are
 * repositories in {@code io.multiaz.store}; its API actions are handlers in {@code io.multiaz.api}.
 * Who takes a backup is a pure decision, tested by a table, as {@code io.multiaz.ha.HaPolicy} is.
 * It may import model, json, config, process, runner, store and engine; nothing above it
 * (docs/ARCHITECTURE.md).
 */
package io.multiaz.backup;
