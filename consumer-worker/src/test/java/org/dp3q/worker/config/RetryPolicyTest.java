package org.dp3q.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void each_retry_waits_twice_as_long_as_the_one_before_up_to_the_maximum() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(60));

        assertEquals(Duration.ofSeconds(10), policy.delayBefore(1));
        assertEquals(Duration.ofSeconds(20), policy.delayBefore(2));
        assertEquals(Duration.ofSeconds(40), policy.delayBefore(3));
        assertEquals(Duration.ofSeconds(60), policy.delayBefore(4));
        assertEquals(Duration.ofSeconds(60), policy.delayBefore(1000));
    }

    @Test
    void a_first_delay_that_is_not_positive_or_above_the_maximum_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofMinutes(2), Duration.ofMinutes(1)));
    }
}
