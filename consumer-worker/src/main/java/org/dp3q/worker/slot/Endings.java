package org.dp3q.worker.slot;

import java.nio.file.Path;
import org.dp3q.event.AttemptEnding;
import org.dp3q.event.Event;
import org.dp3q.event.Reason;
import org.dp3q.task.Task;
import org.dp3q.worker.process.ProcessOutcome;

/** How a run ended, in the words of the outcome policy, of events and of people. */
final class Endings {
    private Endings() {
    }

    static Event.Builder withOutcome(Event.Builder builder, ProcessOutcome outcome, Path log) {
        return builder.exitCode(outcome.exitCode()).signal(outcome.signal()).durationMs(outcome.durationMs())
                .cpuMs(outcome.usage().cpuMs()).maxRssKb(outcome.usage().maxRssKb())
                .log(log.toString()).stderrTail(outcome.tail().isEmpty() ? null : outcome.tail());
    }

    static AttemptEnding of(ProcessOutcome outcome, boolean cannotStart) {
        if (cannotStart) {
            return AttemptEnding.CANNOT_START;
        }
        return switch (outcome.stoppedBy()) {
            case TIMEOUT -> AttemptEnding.TIMED_OUT;
            case CANCELLED -> AttemptEnding.CANCELLED;
            case DRAINED -> AttemptEnding.DRAINED;
            case DELIVERY_LOST, GUARD -> AttemptEnding.DELIVERY_LOST;
            case NONE -> outcome.succeeded() ? AttemptEnding.SUCCEEDED
                    : outcome.signal() != null ? AttemptEnding.SIGNALLED : AttemptEnding.EXITED;
        };
    }

    static Reason reasonOf(AttemptEnding ending) {
        return switch (ending) {
            case TIMED_OUT -> Reason.TIMEOUT;
            case SIGNALLED -> Reason.SIGNAL;
            default -> Reason.EXIT;
        };
    }

    static String describe(ProcessOutcome outcome, Reason reason, Task task) {
        return switch (outcome.stoppedBy()) {
            case CANCELLED -> "the batch was cancelled while this task ran";
            case DRAINED -> "the worker was draining and its --drain-timeout ran out";
            case GUARD -> outcome.stopDetail();
            default -> switch (reason) {
                case TIMEOUT -> "exceeded timeout_s=" + task.timeoutS() + "; its process group was killed";
                case SIGNAL -> "ended by signal " + outcome.signal();
                default -> "exited with code " + outcome.exitCode();
            };
        };
    }
}
