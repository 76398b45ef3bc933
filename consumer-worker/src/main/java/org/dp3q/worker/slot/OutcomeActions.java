package org.dp3q.worker.slot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.OutcomePolicy;
import org.dp3q.event.OutcomePolicy.Attempt;
import org.dp3q.event.OutcomePolicy.Decision;
import org.dp3q.event.Reason;
import org.dp3q.task.AttemptHeaders;
import org.dp3q.task.Task;
import org.dp3q.task.TaskIdentity;
import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.worker.logs.HeldLogs;
import org.dp3q.worker.process.ProcessOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out what {@link OutcomePolicy} decides over how an attempt ended: the event, the record, the settle. */
final class OutcomeActions {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeActions.class);

    private final SlotIdentity identity;
    private final CancelledBatches cancelled;
    private final OutcomePolicy policy;
    private final OutcomeRecorder recorder;
    private final Retrier retrier;

    OutcomeActions(SlotIdentity identity, CancelledBatches cancelled, OutcomePolicy policy, OutcomeRecorder recorder,
                   Retrier retrier) {
        this.identity = identity;
        this.cancelled = cancelled;
        this.policy = policy;
        this.recorder = recorder;
        this.retrier = retrier;
    }

    /**
     * Does what the policy decided: every branch records the outcome, confirmed, before the delivery is settled.
     * Returns the event recorded.
     */
    EventType carryOut(Delivery delivery, Task task, Attempt ended, ProcessOutcome outcome, Path log, String message)
            throws IOException, InterruptedException, TimeoutException {
        Decision decision = policy.decide(ended);
        boolean superseded = decision.reason() == Reason.CANCELLED && cancelled.isSuperseded(task);
        Event.Builder event = event(decision.event(), task, ended.attempt())
                .reason(superseded ? Reason.SUPERSEDED : decision.reason());
        if (superseded) {
            message = "a newer copy of this task replaced it (dp3q submit --replace)";
        }
        if (outcome != null) {
            Endings.withOutcome(event, outcome, log);
        }
        String about = "task " + task.taskId() + " (batch " + task.batch() + " chunk " + task.chunk() + " attempt "
                + ended.attempt() + ")";
        switch (decision.action()) {
            case SETTLE -> {
                LOG.info("{} {}{}", decision.event().wire(), about, outcome == null ? ": " + message
                        : " in " + outcome.durationMs() + " ms");
                recorder.settled(delivery, (decision.event() == EventType.SUCCEEDED ? event : event.message(message)).build());
            }
            case FAIL -> {
                LOG.warn("failed {}: {}", about, message);
                if (log != null) {
                    HeldLogs.hold(log);
                }
                recorder.failed(delivery, event.message(message).build(), task.poolOrDefault());
            }
            case RETRY -> retrier.retry(delivery, task, ended.attempt(), event, message);
            case RETURN_UNCOUNTED -> {
                String why = decision.reason() == Reason.FAILED_FAST
                        ? message + "; it failed fast on " + workerKey() + ", which may be the node's fault: given back"
                                + " once without counting, the next failure is final"
                        : message + "; given back to the queue without counting";
                LOG.warn("returned {}: {}", about, why);
                recorder.returned(delivery, event.message(why).build(), task.poolOrDefault(),
                        AttemptHeaders.returnedUncounted(delivery.headers(), decision.reason() == Reason.DRAINED,
                                decision.reason() == Reason.FAILED_FAST ? workerKey() : null));
            }
        }
        return decision.event();
    }

    Event.Builder event(EventType type, Task task, int attempt) {
        return Event.of(type, TaskIdentity.of(task)).pool(task.poolOrDefault()).attempt(attempt)
                .worker(identity.ref()).labels(task.labels());
    }

    private String workerKey() {
        return identity.host() + "/" + identity.pid();
    }
}
