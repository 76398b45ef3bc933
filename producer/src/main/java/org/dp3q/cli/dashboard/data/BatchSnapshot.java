package org.dp3q.cli.dashboard.data;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dp3q.cli.logs.Attempt;
import org.dp3q.event.TaskState;
import org.dp3q.event.TaskView;

/**
 * One batch as of one moment, safe to read while events keep coming.
 *
 * @param state    {@code queued}, {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
 * @param attempts every task's attempts, by task id
 */
public record BatchSnapshot(String name, Integer total, Map<TaskState, Integer> counts, double ratePerS, Duration eta,
                            String state, List<TaskView> tasks, Map<String, List<Attempt>> attempts, Instant lastEvent) {
}
