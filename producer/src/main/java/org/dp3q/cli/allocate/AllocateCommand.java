package org.dp3q.cli.allocate;

import picocli.CommandLine.Command;

@Command(name = "allocate", mixinStandardHelpOptions = true,
        description = {"Submit SLURM worker jobs as a pool's queue demands; they end by themselves once it stays empty.",
            "'dp3q allocate slurm ...' runs the allocator; 'dp3q allocate resume --name NAME' lifts its pause."},
        subcommands = {SlurmAllocateCommand.class, ResumeCommand.class})
public class AllocateCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
