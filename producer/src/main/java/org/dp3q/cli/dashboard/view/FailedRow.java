package org.dp3q.cli.dashboard.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.dp3q.cli.dashboard.data.BatchSnapshot;
import org.dp3q.event.Event;
import org.dp3q.event.TaskState;
import org.dp3q.event.TaskView;

/** A task held failed: why, its exit code or signal, the tail of its output and whether a log can be asked for. */
public record FailedRow(String batch, String taskId, Integer chunk, Integer attempt, String reason, Integer exitCode,
                        Integer signal, String stderrTail, String message, boolean hasLog, String time) {

    /** The failed tasks of these batches, the most recent failure first, at most {@code limit}. */
    public static List<FailedRow> of(List<BatchSnapshot> batches, int limit) {
        List<FailedRow> rows = new ArrayList<>();
        for (BatchSnapshot batch : batches) {
            for (TaskView task : batch.tasks()) {
                if (task.state() == TaskState.FAILED) {
                    rows.add(of(batch.name(), task));
                }
            }
        }
        rows.sort(Comparator.comparing(FailedRow::time, Comparator.nullsLast(Comparator.reverseOrder())));
        return rows.size() > limit ? rows.subList(0, limit) : rows;
    }

    static FailedRow of(String batch, TaskView task) {
        Event e = task.last();
        return new FailedRow(batch, task.taskId(), task.chunk(), e.attempt(), e.reason() == null ? null : e.reason().wire(),
                e.exitCode(), e.signal(), e.stderrTail(), e.message(), e.log() != null, e.time());
    }
}
