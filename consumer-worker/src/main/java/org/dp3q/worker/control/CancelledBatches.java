package org.dp3q.worker.control;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dp3q.task.Task;

/**
 * The batches cancelled so far, each with the time of its cancel: it covers tasks submitted before that. And the
 * tasks superseded by a newer copy ({@code submit --replace}): every copy but the one submitted at the kept time.
 */
public final class CancelledBatches {
    private final Map<String, Instant> cancelledAt = new ConcurrentHashMap<>();
    private final Map<String, String> keptCopy = new ConcurrentHashMap<>();

    /** The copies of these tasks other than the one submitted at {@code keepSubmittedAt} are not to run. */
    public void supersede(List<String> taskIds, String keepSubmittedAt) {
        taskIds.forEach(id -> keptCopy.put(id, keepSubmittedAt));
    }

    /** True when a newer copy of {@code task} replaced this one. */
    public boolean isSuperseded(Task task) {
        String kept = keptCopy.get(task.taskId());
        return kept != null && !kept.equals(task.submittedAt());
    }

    public void add(String batch, Instant at) {
        cancelledAt.merge(batch, at, (old, now) -> now.isAfter(old) ? now : old);
    }

    /** True when {@code task} belongs to a cancelled batch and was submitted before the cancel (or does not say when). */
    public boolean covers(Task task) {
        if (isSuperseded(task)) {
            return true;
        }
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
