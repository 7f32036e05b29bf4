package io.multiaz.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code multiaz failover [--cluster NAME] [--to INSTANCE] [--force]}: as a switchover while the writer is up (as RDS's
 * FailoverDBCluster); without a writer, promotes the best (or the named) standby, and with
 * {@code --force} even when a standby that may hold acknowledged commits is unreachable.
 */
@Command(name = "failover", description = "Make a standby the writer now; --force accepts losing commits that only "
        + "an unreachable standby holds.")
final class FailoverCommand extends WriterChangeCommand {
    @Option(names = "--force", description = "Promote even if a standby that may hold acknowledged commits is "
            + "unreachable, or --to is behind another standby.")
    boolean force;

    @Override
    String kind() {
        return "failover";
    }

    @Override
    String query() {
        return toParam() + (force ? (toParam().isEmpty() ? "" : "&") + "force=true" : "");
    }
}
