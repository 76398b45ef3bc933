package org.dp3q.cli.dashboard.view;

import java.util.Comparator;
import java.util.List;
import org.dp3q.cli.dashboard.data.BatchSnapshot;
import org.dp3q.cli.logs.Attempt;
import org.dp3q.event.TaskView;

/**
 * One square of a batch's chunk grid: the task's state and what its latest attempt tells (worker, slot,
 * start, duration, exit code or signal, reason, CPU and peak memory of its subprocess tree).
 */
public record ChunkCell(String taskId, Integer chunk, String state, String worker, Integer slot, Integer attempt,
                        String started, Long durationMs, Integer exitCode, Integer signal, String reason, Long cpuMs,
                        Long maxRssKb, boolean hasLog) {

    public static List<ChunkCell> of(BatchSnapshot batch) {
        return batch.tasks().stream()
                .sorted(Comparator.comparing((TaskView t) -> t.chunk() == null ? Integer.MAX_VALUE : t.chunk())
                        .thenComparing(TaskView::taskId))
                .map(task -> of(task, latest(batch.attempts().get(task.taskId()))))
                .toList();
    }

    static ChunkCell of(TaskView task, Attempt attempt) {
        String state = task.state().name().toLowerCase(java.util.Locale.ROOT);
        if (attempt == null) {
            return new ChunkCell(task.taskId(), task.chunk(), state, null, null, null, null, null, null, null,
                    null, null, null, false);
        }
        return new ChunkCell(task.taskId(), task.chunk(), state,
                attempt.worker() == null ? null : attempt.worker().tag(),
                attempt.worker() == null ? null : attempt.worker().slot(), attempt.number(), attempt.started(),
                attempt.durationMs(), attempt.exitCode(), attempt.signal(),
                attempt.reason() == null ? null : attempt.reason().wire(), attempt.cpuMs(), attempt.maxRssKb(), true);
    }

    private static Attempt latest(List<Attempt> attempts) {
        return attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }
}
