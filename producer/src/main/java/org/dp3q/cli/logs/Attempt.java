package org.dp3q.cli.logs;

import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.event.WorkerRef;

/**
 * One attempt of a task as its events tell it: where it ran, its log, and how it ended ({@code outcome} null
 * while it runs). An attempt is known by its log path, which is unique; its number may repeat after a replay.
 */
public record Attempt(String taskId, int number, String log, WorkerRef worker, String started, String ended,
                      EventType outcome, Integer exitCode, Integer signal, Reason reason, Long durationMs, Long cpuMs,
                      Long maxRssKb, String stderrTail) {

    public boolean isOver() {
        return outcome != null;
    }
}
