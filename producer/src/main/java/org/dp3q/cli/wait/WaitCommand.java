package org.dp3q.cli.wait;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.codec.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {
            "Block until every task of a batch has finished (the barrier before merging per-chunk outputs).",
            "Reads the event stream without consuming it: start it before, during or after the batch, stop and start it again.",
            "The batch size comes from the tasks' 'chunks' field (set by submit), else --expect, else the tasks seen.",
        },
        footer = {"", "Exit codes: 0 every task succeeded or was skipped, 1 the batch ended with failures (listed),",
            "2 usage or nothing known of the batch after --grace, 3 broker unreachable past --broker-timeout or --timeout passed, 4 the batch was cancelled."})
public class WaitCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--batch", required = true, paramLabel = "NAME", description = "The batch to wait for.")
    String batch;

    @Option(names = "--expect", paramLabel = "N", description = "The number of tasks in the batch, when its tasks do not say.")
    Integer expect;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up (exit 3) after this long; default: wait as long as it takes.")
    Duration timeout;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1m",
            description = "When nothing is known of the batch (no task, no event), give up after this long with exit 2 "
                    + "(default: ${DEFAULT-VALUE}), so a wait started just before its submit still works. Not with --expect.")
    Duration grace;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, else lines), bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--json", description = "Print the final summary as one JSON object on stdout, no progress.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        return new BatchWaiter(broker.settings(), batch, expect, timeout, grace, progress, json, System.out, System.err).await();
    }
}
