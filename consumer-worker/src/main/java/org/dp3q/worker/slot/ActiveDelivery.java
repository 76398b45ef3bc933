package org.dp3q.worker.slot;

import org.dp3q.task.Task;
import org.dp3q.worker.claim.Claim;
import org.dp3q.worker.process.RunningProcess;
import org.dp3q.worker.process.StopCause;

/**
 * The delivery a slot is working on. When the broker takes the delivery back (channel or connection
 * closed, consumer cancelled, consumer timeout), another worker may soon run the chunk. A run its claim covers
 * goes on, on its lease alone, and its outcome is recorded without the delivery; any other is killed at once,
 * and nothing is recorded or acked for it.
 */
final class ActiveDelivery {
    private final Delivery delivery;
    private RunningProcess process;
    private StopCause stopCause = StopCause.NONE;
    private String lostBecause;
    private Task task;
    private Claim claim;
    private boolean livesOnClaim;

    ActiveDelivery(Delivery delivery) {
        this.delivery = delivery;
    }

    Delivery delivery() {
        return delivery;
    }

    synchronized void decoded(Task decoded) {
        task = decoded;
    }

    synchronized Task task() {
        return task;
    }

    synchronized void claimed(Claim made) {
        claim = made;
    }

    synchronized Claim claim() {
        return claim;
    }

    /**
     * The broker took the delivery back: true when the run goes on because its claim covers it; false when it
     * does not, and the caller must {@link #stop} it.
     */
    synchronized boolean goesOnUnderClaim(String why) {
        if (stopCause == StopCause.NONE && process != null && claim != null && claim.covers()) {
            livesOnClaim = true;
            lostBecause = why;
            process.livesOnLease();
            return true;
        }
        return false;
    }

    /** True when the delivery was lost and the run went on under its claim. */
    synchronized boolean livesOnClaim() {
        return livesOnClaim;
    }

    synchronized void attach(RunningProcess running) {
        process = running;
        if (claim != null) {
            claim.runs(running);
        }
        if (stopCause != StopCause.NONE) {
            running.stop(stopCause);
        }
    }

    synchronized void stop(StopCause cause, String why) {
        if (stopCause == StopCause.NONE) {
            stopCause = cause;
            lostBecause = why;
        }
        if (process != null) {
            process.stop(cause);
        }
    }

    synchronized StopCause stopCause() {
        return stopCause;
    }

    synchronized String stopReason() {
        return lostBecause;
    }

    synchronized boolean isLost() {
        return stopCause == StopCause.DELIVERY_LOST;
    }

    synchronized RunningProcess process() {
        return process;
    }
}
