package org.dp3q.cli.failed;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import java.util.Optional;
import org.dp3q.batch.BatchEvents;
import org.dp3q.codec.Json;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.TaskState;
import org.dp3q.failed.FailedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "failed", mixinStandardHelpOptions = true,
        description = "List the failed tasks held in dp3q.failed for replay: reason, exit code, attempt, log, last output lines."
                + " Looking removes and reorders nothing.")
public class FailedCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--batch", paramLabel = "NAME", description = "Only this batch.")
    String batch;

    @Option(names = "--reason", paramLabel = "REASON",
            description = "Only this reason: exit, signal, timeout, invalid, delivery-limit, drained, cancelled.")
    String reason;

    @Option(names = "--json", description = "One JSON object per failed task and line, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        try (BrokerSession session = BrokerSession.open(broker.settings(), "failed", List.of())) {
            List<FailedRecord> records;
            Optional<BatchProgress> known = batch == null ? Optional.empty() : BatchEvents.read(session.connection(), batch);
            if (known.isPresent() && known.get().count(TaskState.FAILED) == 0) {
                records = List.of(); // its events say none of its tasks is failed: no need to walk the failed queue
            } else {
                // a batch whose events are gone (retention) may still have failed records: look for them too
                records = FailedQueueReader.peek(session.connection(), r -> (batch == null || batch.equals(r.batch()))
                        && (reason == null || reason.equals(r.reason())));
            }
            if (batch != null && known.isEmpty() && records.isEmpty()) {
                System.err.println("dp3q failed: nothing is known of batch " + batch + " (no task, no event)");
                return ExitCodes.USAGE;
            }
            if (json) {
                records.forEach(r -> System.out.println(Json.line(r)));
            } else {
                FailedTable.print(records, System.out);
            }
            return ExitCodes.OK;
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q failed: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.BROKER;
        } catch (IOException e) {
            System.err.println("dp3q failed: cannot read " + org.dp3q.broker.topology.Topology.FAILED_QUEUE + ": " + e.getMessage());
            return ExitCodes.BROKER;
        }
    }
}
