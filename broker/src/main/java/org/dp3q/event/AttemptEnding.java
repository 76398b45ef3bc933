package org.dp3q.event;

/** How one delivery of a task ended, or why it never ran: what {@link OutcomePolicy} decides over. */
public enum AttemptEnding {
    /** the tool exited 0 */
    SUCCEEDED,
    /** the tool exited non-zero */
    EXITED,
    /** the tool was ended by a signal dp3q did not send */
    SIGNALLED,
    /** the task's {@code timeout_s} expired */
    TIMED_OUT,
    /** the tool could not be started at all (missing, not executable, no room for its log) */
    CANNOT_START,
    /** the message can never run as it is */
    INVALID,
    /** its batch was cancelled, before or while it ran */
    CANCELLED,
    /** the worker was draining and its {@code --drain-timeout} ran out, or it was draining when the task came */
    DRAINED,
    /** the broker took the delivery back; the worker killed the run */
    DELIVERY_LOST,
    /** the worker's allocation ends before the task could */
    REFUSED_WALLTIME,
    /** the worker is quarantined */
    REFUSED_QUARANTINED,
    /** its copies died with their workers more often than the delivery limit allows */
    DELIVERY_LIMIT
}
