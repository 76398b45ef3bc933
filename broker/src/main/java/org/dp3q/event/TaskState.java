package org.dp3q.event;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A task's life as a state machine, written down once: events, {@code wait} and {@code status} all read it.
 * An event that is not a legal transition from the current state (a late or repeated record, read again
 * after a reconnect) leaves the state as it is, so reading the stream twice gives the same answer.
 */
public enum TaskState {
    SUBMITTED, RUNNING, RETRYING, SUCCEEDED, FAILED, SKIPPED, CANCELLED, REPLAYED;

    private static final Map<TaskState, Set<EventType>> ALLOWED = new EnumMap<>(TaskState.class);

    static {
        Set<EventType> anyRunOutcome = EnumSet.of(EventType.STARTED, EventType.SUCCEEDED, EventType.FAILED,
                EventType.RETRYING, EventType.SKIPPED, EventType.CANCELLED, EventType.RETURNED);
        ALLOWED.put(SUBMITTED, anyRunOutcome);
        ALLOWED.put(RUNNING, anyRunOutcome);
        ALLOWED.put(RETRYING, anyRunOutcome);
        ALLOWED.put(REPLAYED, anyRunOutcome);
        // terminal states move only when a person acts: a replay, or the same task submitted again
        ALLOWED.put(FAILED, EnumSet.of(EventType.REPLAYED, EventType.SUBMITTED));
        ALLOWED.put(SUCCEEDED, EnumSet.of(EventType.SUBMITTED));
        ALLOWED.put(SKIPPED, EnumSet.of(EventType.SUBMITTED));
        ALLOWED.put(CANCELLED, EnumSet.of(EventType.SUBMITTED));
    }

    /** The state a task enters with this event, whatever it was in before. */
    public static TaskState reachedBy(EventType event) {
        return switch (event) {
            case SUBMITTED -> SUBMITTED;
            case STARTED -> RUNNING;
            case RETRYING -> RETRYING;
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case SKIPPED -> SKIPPED;
            case CANCELLED -> CANCELLED;
            case REPLAYED -> REPLAYED;
            // back in the queue, waiting as if just submitted
            case RETURNED -> SUBMITTED;
        };
    }

    /** The state after {@code event}; a task not seen before ({@code current == null}) accepts any event. */
    public static TaskState next(TaskState current, EventType event) {
        if (current == null || ALLOWED.get(current).contains(event)) {
            return reachedBy(event);
        }
        return current;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == CANCELLED;
    }

    public boolean isDone() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
