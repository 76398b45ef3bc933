package org.dp3q.cli.dashboard.data;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dp3q.cli.logs.Attempt;
import org.dp3q.cli.logs.AttemptHistory;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.TaskState;
import org.dp3q.event.TaskView;

/** One batch folded from its events as they come: its progress and each task's attempts. Not thread-safe. */
public final class LiveBatch {
    private final BatchProgress progress;
    private final Map<String, AttemptHistory> attempts = new HashMap<>();
    private Instant lastEvent = Instant.EPOCH;

    public LiveBatch(String name) {
        progress = new BatchProgress(name, null);
    }

    public void apply(Event event) {
        Event kept = event.event() == EventType.FAILED || event.stderrTail() == null ? event : withoutTail(event);
        progress.apply(kept);
        attempts.computeIfAbsent(event.taskId(), id -> new AttemptHistory()).apply(kept);
        Instant at = parse(event.time());
        if (at.isAfter(lastEvent)) {
            lastEvent = at;
        }
    }

    Instant lastEvent() {
        return lastEvent;
    }

    AttemptHistory attemptsOf(String taskId) {
        return attempts.get(taskId);
    }

    public BatchSnapshot snapshot(Instant now) {
        Map<String, List<Attempt>> copies = new HashMap<>();
        attempts.forEach((task, history) -> copies.put(task, history.list()));
        return new BatchSnapshot(progress.batch(), progress.total(), progress.counts(), progress.rate(now),
                progress.eta(now), state(), progress.tasks(), copies, lastEvent);
    }

    private String state() {
        if (progress.isComplete()) {
            return progress.isSuccessful() ? "succeeded" : progress.isCancelled() ? "cancelled" : "failed";
        }
        boolean started = progress.tasks().stream().map(TaskView::state)
                .anyMatch(s -> s != TaskState.SUBMITTED);
        return started ? "running" : "queued";
    }

    /** The page shows the output tail of failures only; up to 4 KiB per event is not kept for the others. */
    private static Event withoutTail(Event e) {
        return new Event(e.schema(), e.event(), e.taskId(), e.batch(), e.chunk(), e.chunks(), e.pool(), e.attempt(),
                e.time(), e.worker(), e.exitCode(), e.signal(), e.durationMs(), e.cpuMs(), e.maxRssKb(), e.log(), null,
                e.reason(), e.message(), e.labels(), e.digest(), e.soleRun());
    }

    private static Instant parse(String time) {
        try {
            return Instant.parse(time);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
