package org.dp3q.cli;

import java.util.List;
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
import org.dp3q.launch.ClassArchive;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "dp3q", mixinStandardHelpOptions = true, version = "dp3q 0.1.0",
        description = "Publish DP3 chunk tasks to RabbitMQ, wait on a batch (the barrier), inspect and replay failures.",
        footer = {"", "Exit codes: " + ExitCodes.SUMMARY})
public class Dp3qCommand implements Runnable {
    /** The subcommands, in the order the help lists them; each is named by its own {@code @Command}. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(SubmitCommand.class, WaitCommand.class, StatusCommand.class,
            FailedCommand.class, ReplayCommand.class, CancelCommand.class, LogsCommand.class, DashboardCommand.class,
            TopologyCommand.class, AllocateCommand.class);

    public static void main(String[] args) {
        // plain picocli: no dependency-injection context to start, which took most of a second per command
        String first = args.length > 0 ? args[0] : null;
        WarmUp warmUp = WarmUp.start(first);
        CommandLine commandLine = commandLine(first);
        awaitLogging(warmUp);
        int exitCode = commandLine.execute(args);
        if (ClassArchive.training() && exitCode == 0) {
            ArchiveRehearsal.run();
        }
        ClassArchive.ended(exitCode);
        System.exit(exitCode);
    }

    private static void awaitLogging(WarmUp warmUp) {
        try {
            warmUp.awaitLogging();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The command line for a run whose first argument is {@code first}: picocli reads the options of every
     * subcommand it is given (a fifth of a second for all of them), so a run of one subcommand gets only that
     * one; anything else (no argument, an option, a misspelt name) gets them all, for the help and the errors.
     */
    public static CommandLine commandLine(String first) {
        CommandLine root = new CommandLine(new Dp3qCommand());
        List<Class<?>> asked = SUBCOMMANDS.stream()
                .filter(command -> command.getAnnotation(Command.class).name().equals(first)).toList();
        (asked.isEmpty() ? SUBCOMMANDS : asked).forEach(root::addSubcommand);
        return root;
    }

    @Override
    public void run() {
        commandLine(null).usage(System.out);
    }
}
