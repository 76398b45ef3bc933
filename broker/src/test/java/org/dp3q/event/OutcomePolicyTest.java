package org.dp3q.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.dp3q.event.OutcomePolicy.Action;
import org.dp3q.event.OutcomePolicy.Attempt;
import org.dp3q.event.OutcomePolicy.Decision;
import org.junit.jupiter.api.Test;

class OutcomePolicyTest {
    private final OutcomePolicy policy = new OutcomePolicy(Duration.ofSeconds(10));

    private static Attempt slow(AttemptEnding ending, int attempt, int max) {
        return new Attempt(ending, 60_000, attempt, max, false);
    }

    @Test
    void a_success_settles_and_a_cancel_settles_as_cancelled() {
        assertEquals(new Decision(Action.SETTLE, EventType.SUCCEEDED, null), policy.decide(slow(AttemptEnding.SUCCEEDED, 1, 1)));
        assertEquals(new Decision(Action.SETTLE, EventType.CANCELLED, Reason.CANCELLED),
                policy.decide(slow(AttemptEnding.CANCELLED, 1, 1)));
    }

    @Test
    void what_is_not_the_tasks_fault_goes_back_without_counting() {
        assertEquals(new Decision(Action.RETURN_UNCOUNTED, EventType.RETURNED, Reason.DRAINED),
                policy.decide(slow(AttemptEnding.DRAINED, 1, 1)));
        assertEquals(Reason.WALLTIME, policy.decide(slow(AttemptEnding.REFUSED_WALLTIME, 1, 1)).reason());
        assertEquals(Reason.QUARANTINED, policy.decide(slow(AttemptEnding.REFUSED_QUARANTINED, 1, 1)).reason());
        assertEquals(Action.RETURN_UNCOUNTED, policy.decide(slow(AttemptEnding.DELIVERY_LOST, 3, 3)).action());
    }

    @Test
    void a_slow_failure_is_retried_while_attempts_are_left_then_fails() {
        assertEquals(new Decision(Action.RETRY, EventType.RETRYING, Reason.EXIT), policy.decide(slow(AttemptEnding.EXITED, 1, 2)));
        assertEquals(new Decision(Action.FAIL, EventType.FAILED, Reason.EXIT), policy.decide(slow(AttemptEnding.EXITED, 2, 2)));
        assertEquals(Reason.TIMEOUT, policy.decide(slow(AttemptEnding.TIMED_OUT, 1, 1)).reason());
        assertEquals(Reason.SIGNAL, policy.decide(slow(AttemptEnding.SIGNALLED, 1, 1)).reason());
    }

    @Test
    void the_first_fast_failure_goes_back_marked_and_the_next_one_is_final() {
        Attempt fast = new Attempt(AttemptEnding.EXITED, 200, 1, 1, false);
        assertEquals(new Decision(Action.RETURN_UNCOUNTED, EventType.RETURNED, Reason.FAILED_FAST), policy.decide(fast));
        Attempt confirmed = new Attempt(AttemptEnding.EXITED, 200, 1, 1, true);
        assertEquals(new Decision(Action.FAIL, EventType.FAILED, Reason.EXIT), policy.decide(confirmed));
        Attempt cannotStart = new Attempt(AttemptEnding.CANNOT_START, 0, 1, 1, false);
        assertTrue(policy.isFastFailure(cannotStart));
        assertEquals(Action.RETURN_UNCOUNTED, policy.decide(cannotStart).action());
    }

    @Test
    void a_timeout_is_never_a_fast_failure_and_zero_turns_fast_failures_off() {
        assertFalse(policy.isFastFailure(new Attempt(AttemptEnding.TIMED_OUT, 1_000, 1, 1, false)));
        OutcomePolicy off = new OutcomePolicy(Duration.ZERO);
        assertEquals(Action.FAIL, off.decide(new Attempt(AttemptEnding.EXITED, 10, 1, 1, false)).action());
    }

    @Test
    void invalid_and_past_the_delivery_limit_fail_at_once() {
        assertEquals(new Decision(Action.FAIL, EventType.FAILED, Reason.INVALID), policy.decide(slow(AttemptEnding.INVALID, 1, 3)));
        assertEquals(Reason.DELIVERY_LIMIT, policy.decide(slow(AttemptEnding.DELIVERY_LIMIT, 7, 3)).reason());
    }
}
