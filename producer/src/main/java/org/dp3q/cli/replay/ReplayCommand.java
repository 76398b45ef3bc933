package org.dp3q.cli.replay;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Optional;
import org.dp3q.batch.BatchEvents;
import org.dp3q.broker.connect.BrokerOptions;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.TaskState;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
            "Move failed tasks from dp3q.failed back to their pool's queue, after you fixed the cause.",
            "Each task is recorded 'replayed' and republished with confirms before its failed record is removed,",
            "so interrupting replay loses nothing. Replayed tasks get a fresh attempt budget, and dp3q wait --batch",
            "waits for them again.",
        },
        footer = {"", "Exit codes: 0 replayed (or nothing matched), 2 usage, 3 broker unreachable or not confirmed."})
public class ReplayCommand implements Callable<Integer> {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--batch", paramLabel = "NAME", description = "Failed tasks of this batch.")
    String batch;

    @Option(names = "--chunk", paramLabel = "N", description = "Only these chunks of --batch; repeatable.")
    List<Integer> chunks = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "REASON",
            description = "Only failures with this reason (exit, signal, timeout, invalid, delivery-limit, ...).")
    String reason;

    @Option(names = "--all", description = "Every failed task.")
    boolean all;

    @Option(names = "--dry-run", description = "List what would be replayed; change nothing.")
    boolean dryRun;

    @Option(names = "--set-timeout", paramLabel = "SECONDS", description = "Give the replayed tasks this timeout_s.")
    Integer setTimeout;

    @Override
    public Integer call() {
        ReplaySelection selection;
        try {
            selection = new ReplaySelection(batch, new LinkedHashSet<>(chunks), reason, all);
            if (setTimeout != null && setTimeout < 1) {
                throw new IllegalArgumentException("--set-timeout must be at least 1 second");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("dp3q replay: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (BrokerSession session = BrokerSession.open(broker.settings(), "replay", List.of());
             FailedTaskMover mover = new FailedTaskMover(session.connection())) {
            Optional<BatchProgress> known = batch == null ? Optional.empty() : BatchEvents.read(session.connection(), batch);
            // its events say none of its tasks is failed now: nothing to look for in the failed queue
            boolean noneFailed = known.isPresent() && known.get().count(TaskState.FAILED) == 0;
            List<FailedTaskMover.Moved> moved = noneFailed ? List.of() : mover.move(selection, setTimeout, dryRun);
            if (batch != null && known.isEmpty() && moved.isEmpty()) {
                System.err.println("dp3q replay: nothing is known of batch " + batch + " (no task, no event)");
                return ExitCodes.USAGE;
            }
            long ok = moved.stream().filter(FailedTaskMover.Moved::ok).count();
            for (FailedTaskMover.Moved m : moved) {
                String what = m.record().taskId() + " (batch " + m.record().batch() + " chunk " + m.record().chunk()
                        + ", " + m.record().reason() + ")";
                System.out.println((dryRun ? "would replay " : m.ok() ? "replayed " : "NOT replayed ") + what
                        + (m.ok() ? " to pool " + m.pool() : ": " + m.problem()));
            }
            System.out.println((dryRun ? "would replay " : "replayed ") + ok + " task(s)"
                    + (batch != null && ok > 0 && !dryRun ? "; wait for them: dp3q wait --batch " + batch : ""));
            return ExitCodes.OK;
        } catch (BrokerUnavailableException e) {
            System.err.println("dp3q replay: " + e.getMessage());
            return ExitCodes.BROKER;
        } catch (Exception e) {
            System.err.println("dp3q replay: stopped (" + e + "); tasks not yet replayed are still in dp3q.failed");
            return ExitCodes.BROKER;
        }
    }
}
