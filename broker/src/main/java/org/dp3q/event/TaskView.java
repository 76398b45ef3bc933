package org.dp3q.event;

/** What is known of one task after folding its events: its state and the event that put it there. */
public record TaskView(String taskId, Integer chunk, TaskState state, Event last, Event started) {
}
