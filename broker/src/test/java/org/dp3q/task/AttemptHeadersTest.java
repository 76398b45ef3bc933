package org.dp3q.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptHeadersTest {

    @Test
    void a_first_delivery_is_attempt_1() {
        assertEquals(1, AttemptHeaders.attempt(null));
        assertEquals(1, AttemptHeaders.attempt(Map.of()));
    }

    @Test
    void redeliveries_and_earlier_attempts_of_a_retried_task_both_count() {
        assertEquals(3, AttemptHeaders.attempt(Map.of(AttemptHeaders.DELIVERY_COUNT, 2L)));
        assertEquals(3, AttemptHeaders.attempt(Map.of(AttemptHeaders.ATTEMPTS, 2)));
        assertEquals(5, AttemptHeaders.attempt(Map.of(AttemptHeaders.ATTEMPTS, 2, AttemptHeaders.DELIVERY_COUNT, 2L)));
    }

    @Test
    void unreadable_counts_are_taken_as_none() {
        assertEquals(1, AttemptHeaders.attempt(Map.of(AttemptHeaders.ATTEMPTS, "many")));
    }

    @Test
    void a_task_given_back_uncounted_keeps_its_attempt_number_and_its_lost_runs() {
        Map<String, Object> delivered = Map.of(AttemptHeaders.ATTEMPTS, 1, AttemptHeaders.DELIVERY_COUNT, 2L, "x-trace", "t");

        Map<String, Object> returned = AttemptHeaders.returnedUncounted(delivered, true, null);

        assertEquals(AttemptHeaders.attempt(delivered), AttemptHeaders.attempt(returned));
        assertEquals(2, AttemptHeaders.lostRuns(returned));
        assertEquals(1, AttemptHeaders.drains(returned));
        assertEquals(1, AttemptHeaders.returns(returned));
        assertEquals("t", returned.get("x-trace"));
        assertEquals(null, AttemptHeaders.failedFastOn(returned));

        Map<String, Object> again = new java.util.HashMap<>(returned);
        again.put(AttemptHeaders.DELIVERY_COUNT, 1L);
        Map<String, Object> twice = AttemptHeaders.returnedUncounted(again, false, "node7/42");
        assertEquals(3, AttemptHeaders.lostRuns(twice));
        assertEquals(1, AttemptHeaders.drains(twice));
        assertEquals(2, AttemptHeaders.returns(twice));
        assertEquals("node7/42", AttemptHeaders.failedFastOn(twice));
    }

    @Test
    void a_held_copy_keeps_its_attempt_and_its_copy_key_and_a_return_of_it_is_a_new_copy() {
        Map<String, Object> redelivered = Map.of(AttemptHeaders.DELIVERY_COUNT, 1L);
        Map<String, Object> held = AttemptHeaders.held(redelivered, "t/0#0.0.abc");
        assertEquals(2, AttemptHeaders.attempt(held));
        assertEquals(1, AttemptHeaders.lostRuns(held));
        assertEquals(1, AttemptHeaders.holds(held));
        assertEquals("t/0#0.0.abc", held.get(AttemptHeaders.COPY));
        Map<String, Object> heldAgain = AttemptHeaders.held(held, "another key");
        assertEquals("t/0#0.0.abc", heldAgain.get(AttemptHeaders.COPY), "held again: still a copy of the first");
        assertEquals(2, AttemptHeaders.holds(heldAgain));
        Map<String, Object> returned = AttemptHeaders.returnedUncounted(heldAgain, true, null);
        assertEquals(0, AttemptHeaders.holds(returned));
        assertEquals(null, returned.get(AttemptHeaders.COPY));
    }
}
