package org.dp3q.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why an attempt ended without success. */
public enum Reason {
    /** the subprocess exited non-zero */
    EXIT,
    /** the subprocess was ended by a signal it was not sent by dp3q */
    SIGNAL,
    /** the task's {@code timeout_s} expired */
    TIMEOUT,
    /** the message can never run as it is (not JSON, schema, tool, workdir) */
    INVALID,
    /** the broker dead-lettered the task after its delivery limit (it killed its worker each time) */
    DELIVERY_LIMIT,
    /** the worker lost the delivery while running it (connection, channel, consumer timeout) */
    DELIVERY_LOST,
    /** {@code dp3q cancel} */
    CANCELLED,
    /** the worker was draining and ran out of time */
    DRAINED,
    /** the worker's allocation ends before the task could (its {@code timeout_s}, else {@code expected_s}) */
    WALLTIME,
    /** it failed fast on a worker that may be broken; the next failure elsewhere is final */
    FAILED_FAST,
    /** the worker quarantined itself: it failed everything fast */
    QUARANTINED,
    /** {@code dp3q submit --replace} published a newer copy of the task; this copy was killed or not run */
    SUPERSEDED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Reason fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
