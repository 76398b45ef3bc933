package org.dp3q.worker.idle;

import java.time.Duration;

/**
 * How long a worker has been idle: nothing ready in its pool and nothing running in its slots. Any busy look
 * starts the count again; {@link #observe} says when the count has reached the limit.
 */
public final class IdleClock {
    private final long limitNanos;
    private long idleSince = -1;

    public IdleClock(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("--idle-exit must be longer than zero, not " + limit);
        }
        this.limitNanos = limit.toNanos();
    }

    /** One look at the worker at {@code nowNanos}; true once it has been idle for the whole limit. */
    public boolean observe(boolean idle, long nowNanos) {
        if (!idle) {
            idleSince = -1;
            return false;
        }
        if (idleSince < 0) {
            idleSince = nowNanos;
        }
        return nowNanos - idleSince >= limitNanos;
    }
}
