package org.dp3q.worker.slot;

import org.dp3q.task.Task;
import org.dp3q.worker.process.RunningProcess;
import org.dp3q.worker.process.StopCause;

/**
 * The delivery a slot is working on. When the broker takes the delivery back (channel or connection
 * closed, consumer cancelled, consumer timeout), another worker may already run the chunk: the subprocess
 * is killed at once and nothing is recorded or acked for this delivery.
 */
final class ActiveDelivery {
    private final Delivery delivery;
    private RunningProcess process;
    private StopCause stopCause = StopCause.NONE;
    private String lostBecause;
    private Task task;

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

    synchronized void attach(RunningProcess running) {
        process = running;
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
