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
}
