package org.dp3q.worker.idle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleClockTest {
    private static final long S = 1_000_000_000L;

    @Test
    void idle_for_the_whole_limit_is_time_to_stop() {
        IdleClock clock = new IdleClock(Duration.ofSeconds(5));

        assertFalse(clock.observe(true, 0));
        assertFalse(clock.observe(true, 4 * S));
        assertTrue(clock.observe(true, 5 * S));
    }

    @Test
    void a_busy_look_starts_the_count_again() {
        IdleClock clock = new IdleClock(Duration.ofSeconds(5));
        clock.observe(true, 0);
        clock.observe(false, 4 * S);

        assertFalse(clock.observe(true, 6 * S));
        assertFalse(clock.observe(true, 10 * S));
        assertTrue(clock.observe(true, 11 * S));
    }

    @Test
    void a_zero_limit_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new IdleClock(Duration.ZERO));
    }
}
