package org.dp3q.worker.slot;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * When a stopping worker gives up waiting for its slots (the slot thread's last outcome, the broker's answer to a
 * cancel): at a fixed time, or at once after a second stop request. Waits against it are made in short slices, so
 * a request that comes while one is under way ends that one too.
 */
public final class StopDeadline {
    /** How often a wait looks whether a second stop request came. */
    private static final long SLICE_MS = 100;

    private final Instant at;
    private final BooleanSupplier hurried;

    /** Passes at {@code at}, or as soon as {@code hurried} says so. */
    public StopDeadline(Instant at, BooleanSupplier hurried) {
        this.at = at;
        this.hurried = hurried;
    }

    /** A bounded wait, such as {@code CountDownLatch::await}: true when what it waits for happened in time. */
    @FunctionalInterface
    public interface TimedWait {
        boolean await(long timeout, TimeUnit unit) throws InterruptedException;
    }

    /** Waits with {@code wait} until it succeeds or this deadline passes; true when it succeeded. */
    public boolean await(TimedWait wait) throws InterruptedException {
        while (true) {
            long left = hurried.getAsBoolean() ? 0 : Duration.between(Instant.now(), at).toMillis();
            if (left <= 0) {
                return wait.await(0, TimeUnit.MILLISECONDS);
            }
            if (wait.await(Math.min(left, SLICE_MS), TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
    }
}
