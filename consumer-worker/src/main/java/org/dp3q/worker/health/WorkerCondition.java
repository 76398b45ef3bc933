package org.dp3q.worker.health;

import java.util.List;

/**
 * Whether the worker can take tasks, as {@code /health}, the metrics and its announcements tell it.
 *
 * @param quarantined  it failed everything fast and consumes nothing for a while
 * @param reason       why it is quarantined, or what keeps a slot from consuming; null when all is well
 * @param notConsuming slots that should consume but cannot
 */
public record WorkerCondition(boolean quarantined, String reason, List<Integer> notConsuming) {
    public static final WorkerCondition FINE = new WorkerCondition(false, null, List.of());

    public boolean healthy() {
        return !quarantined && notConsuming.isEmpty();
    }
}
