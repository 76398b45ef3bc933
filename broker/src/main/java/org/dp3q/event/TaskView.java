package org.dp3q.event;

/**
 * What is known of one task after folding its events: its state, the event that put it there, its digest as its
 * latest {@code submitted} recorded it, and how many of its runs are open (started, not ended).
 */
public record TaskView(String taskId, Integer chunk, TaskState state, Event last, Event started, String digest,
                       int openRuns) {
    /** Queued or running: a copy of it may still run, so submitting it again would make a second live copy. */
    public boolean isLive() {
        return openRuns > 0 || !state.isTerminal();
    }
}
