package org.dp3q.worker.config;

import java.time.Duration;

/**
 * Exponential backoff between the attempts of a task with {@code max_attempts > 1}: the first retry waits
 * {@code firstDelay}, each later one twice as long as the one before, never longer than {@code maxDelay}.
 */
public record RetryPolicy(Duration firstDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10));

    public RetryPolicy {
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("--retry-delay must be positive and at most --retry-max-delay, got "
                    + firstDelay + " and " + maxDelay);
        }
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        Duration delay = firstDelay;
        for (int i = 1; i < retry && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
