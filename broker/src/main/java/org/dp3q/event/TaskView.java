package org.dp3q.event;

/**
 * What is known of one task after folding its events: its state, the event that put it there, its digest as its
 * latest {@code submitted} recorded it, how many of its runs are open (started, not ended), and whether the broker
 * confirmed its latest submitted copy (see {@link AcceptedRecord}).
 */
public record TaskView(String taskId, Integer chunk, TaskState state, Event last, Event started, String digest,
                       int openRuns, boolean confirmed) {
    /**
     * Queued or running: a copy of it may still run, so submitting it again would make a second live copy. A task
     * recorded submitted whose publication the broker never confirmed is not live.
     */
    public boolean isLive() {
        return openRuns > 0 || (!state.isTerminal() && !(state == TaskState.SUBMITTED && !confirmed));
    }

    TaskView confirm() {
        return new TaskView(taskId, chunk, state, last, started, digest, openRuns, true);
    }
}
