/**
 * Monitoring (issue 15): per-second metrics under CloudWatch's names, alarms, SNS topics and
 * notifications, Prometheus exposition.
 *
 * <p>Empty until then, but named so that metrics and alarms have a home: the agent-side
 * collector plugs into the agent as a {@link io.multiaz.runner.ClusterRunner}, started by the
 * cluster reconciler for every cluster beside the endpoints; alarms and topics are repositories
 * in {@code io.multiaz.store}; alarm evaluation is a pure decision tested by a table. It may import
 * model, json, config, process, runner, store and engine; nothing above it (docs/ARCHITECTURE.md).
 */
package io.multiaz.monitor;
