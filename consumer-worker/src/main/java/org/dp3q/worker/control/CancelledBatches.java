package org.dp3q.worker.control;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dp3q.task.Task;

/** The batches cancelled so far, each with the time of its cancel: it covers tasks submitted before that. */
public final class CancelledBatches {
    private final Map<String, Instant> cancelledAt = new ConcurrentHashMap<>();

    public void add(String batch, Instant at) {
        cancelledAt.merge(batch, at, (old, now) -> now.isAfter(old) ? now : old);
    }

    /** True when {@code task} belongs to a cancelled batch and was submitted before the cancel (or does not say when). */
    public boolean covers(Task task) {
        Instant at = cancelledAt.get(task.batch());
        if (at == null) {
            return false;
        }
        if (task.submittedAt() == null) {
            return true;
        }
        try {
            return Instant.parse(task.submittedAt()).isBefore(at);
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}
