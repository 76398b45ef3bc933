package org.dp3q.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class Dp3qCommandTest {
    private static final List<String> ALL = List.of("submit", "wait", "status", "failed", "replay", "cancel", "logs",
            "dashboard", "topology", "allocate");

    @Test
    void a_run_of_one_subcommand_builds_only_that_one() {
        CommandLine line = Dp3qCommand.commandLine("wait");
        assertEquals(List.of("wait"), List.copyOf(line.getSubcommands().keySet()));
    }

    @Test
    void the_help_and_a_misspelt_name_get_every_subcommand_in_order() {
        assertEquals(ALL, List.copyOf(Dp3qCommand.commandLine(null).getSubcommands().keySet()));
        assertEquals(ALL, List.copyOf(Dp3qCommand.commandLine("subm").getSubcommands().keySet()));
        assertEquals(ALL, List.copyOf(Dp3qCommand.commandLine("--help").getSubcommands().keySet()));
    }

    @Test
    void every_subcommand_is_registered_under_its_own_name() {
        Dp3qCommand.commandLine(null).getSubcommands().forEach((name, line) ->
                assertEquals(name, line.getCommandSpec().userObject().getClass().getAnnotation(CommandLine.Command.class).name()));
    }
}
