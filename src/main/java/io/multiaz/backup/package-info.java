/**
 * Backups (issue 13): automated backups in the backup window, retention, manual cluster
 * snapshots, restore from a snapshot and point-in-time restore, on pgBackRest.
 *
 * <p>Empty until then, but named so that backups have a home: the agent-side service plugs into
 * the agent as a {@link io.multiaz.runner.ClusterRunner}, started by the cluster reconciler for
 * every cluster beside the endpoints; its records are repositories in {@code io.multiaz.store};
 * its API actions are handlers in {@code io.multiaz.api}. Who takes a backup is a pure decision,
 * tested by a table, as {@code io.multiaz.ha.HaPolicy} is. It may import model, json, config,
 * process, runner, store and engine; nothing above it (docs/ARCHITECTURE.md).
 */
package io.multiaz.backup;
