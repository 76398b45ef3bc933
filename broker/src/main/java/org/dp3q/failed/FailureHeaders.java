package org.dp3q.failed;

/**
 * Headers stamped on a failed task's record in {@code dp3q.failed}; the body stays the original message,
 * untouched, so a replay publishes exactly what the pipeline sent.
 */
public final class FailureHeaders {
    public static final String TASK_ID = "dp3q-task-id";
    public static final String BATCH = "dp3q-batch";
    public static final String CHUNK = "dp3q-chunk";
    public static final String POOL = "dp3q-pool";
    public static final String REASON = "dp3q-reason";
    public static final String MESSAGE = "dp3q-message";
    public static final String EXIT_CODE = "dp3q-exit-code";
    public static final String SIGNAL = "dp3q-signal";
    public static final String ATTEMPT = "dp3q-attempt";
    /** Deliveries of the task that ran and ended without an outcome or with this one (drains not included). */
    public static final String DELIVERIES = "dp3q-deliveries";
    /** Times a draining worker gave the task back; these never count against the delivery limit. */
    public static final String DRAINS = "dp3q-drains";
    public static final String WORKER_HOST = "dp3q-worker-host";
    public static final String LOG = "dp3q-log";
    public static final String STDERR_TAIL = "dp3q-stderr-tail";
    public static final String FAILED_AT = "dp3q-failed-at";

    private FailureHeaders() {
    }
}
