package org.dp3q.worker.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dp3q.task.Task;

/**
 * Starts no task that cannot end before the worker's allocation does, minus the margin it needs to drain. A task's
 * bound is its {@code timeout_s}, else its {@code expected_s}; a task with neither is started as always. A task
 * refused twice has been round the queue: nothing queued fits any more, and {@link #nothingFits} says so.
 */
public final class WalltimeAdmission {
    private final Instant end;
    private final Duration margin;
    private final Clock clock;
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile boolean nothingFits;
    private volatile Runnable whenNothingFits = () -> { };

    /** {@code end} null: the allocation has no known end, every task is admitted. */
    public WalltimeAdmission(Instant end, Duration margin, Clock clock) {
        this.end = end;
        this.margin = margin;
        this.clock = clock;
    }

    /** Called once a refused task comes round again: the worker should stop at once, not refuse in a loop. */
    public void whenNothingFits(Runnable action) {
        whenNothingFits = action;
    }

    public Instant end() {
        return end;
    }

    /** The time by which a started task must be done: the end minus the drain margin. */
    public Instant deadline() {
        return end == null ? null : end.minus(margin);
    }

    public boolean admits(Task task) {
        Integer bound = task.boundS();
        if (end == null || bound == null) {
            return true;
        }
        if (!clock.instant().plusSeconds(bound).isAfter(deadline())) {
            return true;
        }
        if (!refused.add(task.taskId()) && !nothingFits) {
            nothingFits = true;
            whenNothingFits.run();
        }
        return false;
    }

    /** True once a refused task came back, or the deadline has passed: no task can fit. */
    public boolean nothingFits() {
        return nothingFits || end != null && !clock.instant().isBefore(deadline());
    }
}
