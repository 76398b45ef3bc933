package org.dp3q.worker.health;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a worker out of the pool when it fails everything fast: {@code after} failed-fast attempts in a row, or
 * one whose tool could not start at all. The node is the likely cause (a full disk, a missing module, a dead
 * mount), so it stops consuming for {@code lasting}, then tries again; the attempts that failed this way went
 * back to the queue uncounted. Whoever listens stops and resumes the slots.
 */
public final class Quarantine {
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    /** What the worker does when it enters or leaves quarantine. */
    public interface Listener {
        void entered(String reason);

        void lifted();
    }

    private final int after;
    private final Duration lasting;
    private final ScheduledExecutorService timer;
    private Listener listener;
    private int inARow;
    private volatile String reason;

    /** {@code after} 0: never quarantine. */
    public Quarantine(int after, Duration lasting, ScheduledExecutorService timer) {
        this.after = after;
        this.lasting = lasting;
        this.timer = timer;
    }

    public synchronized void listen(Listener whoever) {
        listener = whoever;
    }

    /** One more attempt failed fast on this worker ({@code cannotStart}: its tool did not even start). */
    public void failedFast(boolean cannotStart, String what) {
        String entered;
        synchronized (this) {
            inARow++;
            if (after == 0 || reason != null || !(cannotStart || inARow >= after)) {
                return;
            }
            reason = cannotStart ? "a tool could not be started: " + what
                    : inARow + " attempts in a row failed fast, the last: " + what;
            entered = reason;
        }
        LOG.error("quarantined for {} s: {}; consuming nothing meanwhile, the tasks went back to the queue uncounted",
                lasting.toSeconds(), entered);
        notifyEntered(entered);
        timer.schedule(this::lift, lasting.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An attempt went well, or failed the slow way a task does: the failures in a row start again from 0. */
    public synchronized void healthy() {
        inARow = 0;
    }

    public boolean active() {
        return reason != null;
    }

    /** Why the worker is quarantined, or null. */
    public String reason() {
        return reason;
    }

    private void lift() {
        synchronized (this) {
            if (reason == null) {
                return;
            }
            reason = null;
            inARow = 0;
        }
        LOG.warn("quarantine over: consuming again");
        Listener current;
        synchronized (this) {
            current = listener;
        }
        if (current != null) {
            current.lifted();
        }
    }

    private void notifyEntered(String why) {
        Listener current;
        synchronized (this) {
            current = listener;
        }
        if (current != null) {
            current.entered(why);
        }
    }
}
