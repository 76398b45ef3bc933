package org.dp3q.cli.allocate;

/**
 * When an allocation stops submitting: after {@code maxFailures} sbatch calls that failed in a row, or jobs in a row
 * that ended without any worker ever consuming (a bad partition or account, a worker that cannot reach the broker).
 * A successful sbatch call clears the first count, a job whose worker consumed the second. {@link #resume} lifts a
 * pause.
 */
public final class PausePolicy {
    private final int maxFailures;
    private int failedSubmits;
    private int jobsWithoutWorker;
    private String reason;

    public PausePolicy(int maxFailures) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("--max-failures must be at least 1");
        }
        this.maxFailures = maxFailures;
    }

    public void submitFailed(String why) {
        failedSubmits++;
        if (failedSubmits >= maxFailures && reason == null) {
            reason = failedSubmits + " sbatch calls failed in a row; last: " + why;
        }
    }

    public void submitted() {
        failedSubmits = 0;
    }

    /** A job of this allocation left the SLURM queue; {@code consumed}: a worker of it was heard from. */
    public void jobEnded(String jobId, boolean consumed) {
        if (consumed) {
            jobsWithoutWorker = 0;
            return;
        }
        jobsWithoutWorker++;
        if (jobsWithoutWorker >= maxFailures && reason == null) {
            reason = jobsWithoutWorker + " jobs in a row ended without a worker consuming; last: job " + jobId
                    + " (see its output)";
        }
    }

    public boolean isPaused() {
        return reason != null;
    }

    /** Why the allocation is paused; null while it is active. */
    public String reason() {
        return reason;
    }

    public void resume() {
        reason = null;
        failedSubmits = 0;
        jobsWithoutWorker = 0;
    }
}
