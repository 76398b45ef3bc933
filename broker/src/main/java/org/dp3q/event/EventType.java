package org.dp3q.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happened to a task; every state change of a task is one event of one of these types. */
public enum EventType {
    SUBMITTED, STARTED, SUCCEEDED, FAILED, RETRYING, SKIPPED, CANCELLED, REPLAYED,
    /** given back to the queue without counting as an attempt (drain, walltime, a suspect node) */
    RETURNED;

    /** An outcome of a run: the slot that started it is done with it. */
    public boolean endsRun() {
        return this == SUCCEEDED || this == FAILED || this == RETRYING || this == SKIPPED || this == CANCELLED || this == RETURNED;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EventType fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
