package org.dp3q.cli;

import org.dp3q.cli.allocate.AllocateCommand;
import org.dp3q.cli.cancel.CancelCommand;
import org.dp3q.cli.dashboard.DashboardCommand;
import org.dp3q.cli.failed.FailedCommand;
import org.dp3q.cli.logs.LogsCommand;
import org.dp3q.cli.replay.ReplayCommand;
import org.dp3q.cli.status.StatusCommand;
import org.dp3q.cli.submit.SubmitCommand;
import org.dp3q.cli.topology.TopologyCommand;
import org.dp3q.cli.wait.WaitCommand;
import picocli.CommandLine.Command;

@Command(name = "dp3q", mixinStandardHelpOptions = true, version = "dp3q 0.1.0",
        description = "Publish DP3 chunk tasks to RabbitMQ, wait on a batch (the barrier), inspect and replay failures.",
        subcommands = {SubmitCommand.class, WaitCommand.class, StatusCommand.class, FailedCommand.class, ReplayCommand.class, CancelCommand.class,
            LogsCommand.class, DashboardCommand.class, TopologyCommand.class, AllocateCommand.class},
        footer = {"", "Exit codes: " + ExitCodes.SUMMARY})
public class Dp3qCommand implements Runnable {
    public static void main(String[] args) {
        // plain picocli: no dependency-injection context to start, which took most of a second per command
        int exitCode = new picocli.CommandLine(new Dp3qCommand()).execute(args);
        org.dp3q.launch.ClassArchive.ended(exitCode);
        System.exit(exitCode);
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
