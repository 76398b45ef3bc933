package org.dp3q.event;

import java.time.Duration;

/**
 * What becomes of one delivery of a task, decided in one place from how its attempt ended: settle it, fail it,
 * retry it later, or give it back to the queue without counting it as an attempt. Pure: the worker carries the
 * decision out.
 * <p>
 * Only a failure of the task itself counts. A drain, a walltime refusal, a quarantine or a delivery the broker
 * took back go back uncounted. A failure faster than {@code failedFast} (or a tool that cannot start) may be the
 * node's fault, not the chunk's: the first such failure goes back uncounted, marked, and the next failure is
 * final, so a genuinely bad input still ends failed once a second run confirms it.
 */
public final class OutcomePolicy {
    /** What to do with the delivery. */
    public enum Action { SETTLE, FAIL, RETRY, RETURN_UNCOUNTED }

    /** The action, the event that records it and its reason (null for a success). */
    public record Decision(Action action, EventType event, Reason reason) {
    }

    /**
     * One ended attempt.
     *
     * @param durationMs    how long the tool ran (0 when it did not)
     * @param attempt       this attempt's number, from 1
     * @param maxAttempts   the task's {@code max_attempts}
     * @param failedFastBefore the task already failed fast on some worker and was given back for it
     */
    public record Attempt(AttemptEnding ending, long durationMs, int attempt, int maxAttempts, boolean failedFastBefore) {
    }

    private final Duration failedFast;

    /** {@code failedFast}: failures quicker than this are suspect; zero turns that off. */
    public OutcomePolicy(Duration failedFast) {
        this.failedFast = failedFast;
    }

    public Decision decide(Attempt attempt) {
        return switch (attempt.ending()) {
            case SUCCEEDED -> new Decision(Action.SETTLE, EventType.SUCCEEDED, null);
            case CANCELLED -> new Decision(Action.SETTLE, EventType.CANCELLED, Reason.CANCELLED);
            case INVALID -> new Decision(Action.FAIL, EventType.FAILED, Reason.INVALID);
            case DELIVERY_LIMIT -> new Decision(Action.FAIL, EventType.FAILED, Reason.DELIVERY_LIMIT);
            case DRAINED -> returned(Reason.DRAINED);
            case DELIVERY_LOST -> returned(Reason.DELIVERY_LOST);
            case REFUSED_WALLTIME -> returned(Reason.WALLTIME);
            case REFUSED_QUARANTINED -> returned(Reason.QUARANTINED);
            case EXITED, SIGNALLED, TIMED_OUT, CANNOT_START -> failure(attempt);
        };
    }

    /** A failure that says more about the node than about the task: quick, or the tool never started. */
    public boolean isFastFailure(Attempt attempt) {
        if (failedFast.isZero()) {
            return false;
        }
        return attempt.ending() == AttemptEnding.CANNOT_START
                || (attempt.ending() == AttemptEnding.EXITED || attempt.ending() == AttemptEnding.SIGNALLED)
                        && attempt.durationMs() < failedFast.toMillis();
    }

    private Decision failure(Attempt attempt) {
        if (isFastFailure(attempt) && !attempt.failedFastBefore()) {
            return returned(Reason.FAILED_FAST);
        }
        Reason reason = switch (attempt.ending()) {
            case SIGNALLED -> Reason.SIGNAL;
            case TIMED_OUT -> Reason.TIMEOUT;
            default -> Reason.EXIT;
        };
        if (attempt.attempt() < attempt.maxAttempts()) {
            return new Decision(Action.RETRY, EventType.RETRYING, reason);
        }
        return new Decision(Action.FAIL, EventType.FAILED, reason);
    }

    private static Decision returned(Reason why) {
        return new Decision(Action.RETURN_UNCOUNTED, EventType.RETURNED, why);
    }
}
