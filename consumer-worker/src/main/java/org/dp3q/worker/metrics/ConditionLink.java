package org.dp3q.worker.metrics;

import java.util.function.Supplier;
import org.dp3q.worker.health.WorkerCondition;

/** Where {@code /health} reads whether the worker can take tasks. */
public record ConditionLink(Supplier<WorkerCondition> condition) {
}
