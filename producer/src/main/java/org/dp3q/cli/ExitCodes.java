package org.dp3q.cli;

/** The exit codes of every dp3q command, as scripts rely on them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int BATCH_FAILED = 1;
    public static final int USAGE = 2;
    public static final int BROKER = 3;
    public static final int BATCH_CANCELLED = 4;
    public static final String SUMMARY = "0 success, 1 the batch ended with failures, 2 usage or invalid input, "
            + "3 broker unreachable or publish not confirmed, 4 the batch was cancelled.";

    private ExitCodes() {
    }
}
