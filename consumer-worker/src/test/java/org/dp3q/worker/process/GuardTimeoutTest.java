package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The guard timeout follows from the broker heartbeat, so that a frozen worker's run dies before its chunk moves. */
class GuardTimeoutTest {

    @Test
    void the_default_is_half_the_heartbeat() {
        assertEquals(Duration.ofMillis(7500), Guardian.defaultTimeout(15));
        assertEquals(Duration.ofMillis(1000), Guardian.defaultTimeout(2));
        assertEquals(Duration.ofMillis(500), Guardian.defaultTimeout(1));
    }

    @Test
    void without_heartbeats_the_broker_never_hands_out_a_silent_workers_chunk_and_the_default_is_30_s() {
        assertEquals(Duration.ofSeconds(30), Guardian.defaultTimeout(0));
        assertFalse(Guardian.tooLongFor(Duration.ofHours(1), 0));
    }

    @Test
    void a_guard_as_long_as_the_heartbeat_is_too_long() {
        assertFalse(Guardian.tooLongFor(Duration.ofMillis(14_999), 15));
        assertTrue(Guardian.tooLongFor(Duration.ofSeconds(15), 15));
    }

    @Test
    void the_worker_pings_five_times_per_timeout_and_at_least_every_second() {
        assertEquals(Duration.ofMillis(200), Guardian.pingInterval(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(1), Guardian.pingInterval(Duration.ofMillis(7500)));
        assertEquals(Duration.ofMillis(1), Guardian.pingInterval(Duration.ofMillis(2)));
    }
}
