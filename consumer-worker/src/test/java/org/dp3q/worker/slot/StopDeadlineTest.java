package org.dp3q.worker.slot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StopDeadlineTest {

    @Test
    void a_wait_that_succeeds_in_time_says_so() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        StopDeadline deadline = new StopDeadline(Instant.now().plusSeconds(60), () -> false);
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> awaitQuietly(deadline, done));
        done.countDown();
        assertTrue(waited.get(30, TimeUnit.SECONDS));
    }

    @Test
    void a_wait_ends_unsuccessful_when_the_deadline_has_passed() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        assertFalse(new StopDeadline(Instant.now().plus(Duration.ofMillis(300)), () -> false).await(never::await));
        assertFalse(new StopDeadline(Instant.now().minusSeconds(1), () -> false).await(never::await));
    }

    @Test
    void a_second_stop_request_ends_a_wait_under_way_long_before_the_deadline() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean hurried = new AtomicBoolean();
        StopDeadline deadline = new StopDeadline(Instant.now().plus(Duration.ofMinutes(10)), hurried::get);
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> awaitQuietly(deadline, never));
        hurried.set(true);
        // bounded far below the 10 minutes: only the request can have ended it
        assertFalse(waited.get(30, TimeUnit.SECONDS));
    }

    @Test
    void after_a_second_stop_request_what_has_happened_already_still_counts() throws Exception {
        CountDownLatch done = new CountDownLatch(0);
        assertTrue(new StopDeadline(Instant.now().plusSeconds(60), () -> true).await(done::await));
    }

    private static boolean awaitQuietly(StopDeadline deadline, CountDownLatch latch) {
        try {
            return deadline.await(latch::await);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
