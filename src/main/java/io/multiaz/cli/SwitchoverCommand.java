package io.multiaz.cli;

import picocli.CommandLine.Command;

/**
 * {@code multiaz switchover [--cluster NAME] [--to INSTANCE]}: a planned change of writer with no
 * acknowledged commit lost.
 */
@Command(name = "switchover", description = "Hand the writer role to a standby gracefully (planned maintenance).")
final class SwitchoverCommand extends WriterChangeCommand {
    @Override
    String kind() {
        return "switchover";
    }

    @Override
    String query() {
        return toParam();
    }
}
