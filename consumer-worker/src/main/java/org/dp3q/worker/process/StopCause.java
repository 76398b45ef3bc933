package org.dp3q.worker.process;

/** Why dp3q ended a subprocess before it finished by itself. */
public enum StopCause {
    NONE, TIMEOUT, DELIVERY_LOST, CANCELLED, DRAINED,
    /** its guardian killed it: the worker stopped pinging (frozen), see {@link GuardRecord} */
    GUARD
}
