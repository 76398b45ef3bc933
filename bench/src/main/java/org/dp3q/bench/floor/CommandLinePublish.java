package org.dp3q.bench.floor;

import picocli.CommandLine;

/**
 * {@link LibrariesPublish} with dp3q's own command line in place of two options: picocli builds {@code dp3q submit}
 * as the command line does (its options, their help texts, the broker's options) from the built {@code dp3q-all.jar},
 * which {@link FirstStartProbe} puts first on the class path, and reads a submit's arguments; then the task goes out
 * as {@link LibrariesPublish#publishTask} sends it. Nothing of the command runs (no topology, no look-up, no events).
 * Its difference from {@link LibrariesPublish} is what building dp3q's command line costs a start; {@code dp3q
 * submit} minus this is what the command does before its first task goes out. Arguments: broker URI, queue.
 */
public final class CommandLinePublish {
    /** The command line's entry point in {@code dp3q-all.jar}; its {@code commandLine(String)} builds one subcommand. */
    static final String COMMAND = "org.dp3q.cli.Dp3qCommand";

    private CommandLinePublish() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        CommandLine line = (CommandLine) Class.forName(COMMAND).getMethod("commandLine", String.class)
                .invoke(null, "submit");
        line.parseArgs("submit", "--broker", uri, "--batch", "floor", "--chunks", "1", "--ntimes", "1");
        LibrariesPublish.publishTask(uri, args[1], "dp3q-bench command-line-publish");
    }
}
