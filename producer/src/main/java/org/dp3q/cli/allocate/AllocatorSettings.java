package org.dp3q.cli.allocate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One allocation, as {@code dp3q allocate slurm} was asked for it.
 *
 * @param name       SLURM job name of its jobs, and how status and resume know it
 * @param timeLimit  SLURM's {@code --time} of each job, as SLURM reads it
 * @param jobScript  the batch script each job runs (the workers recipe of {@code deploy/slurm/})
 * @param sbatchArgs given after {@code --}: added to every sbatch call, after the allocator's own options
 * @param workerEnv  environment the jobs get on top of the allocator's (broker address of the workers...)
 */
public record AllocatorSettings(String name, String pool, int maxJobs, int nodesPerJob, String timeLimit, int slots,
                                Duration idleTimeout, int backlog, int maxFailures, Duration pollEvery, Path jobScript,
                                List<String> sbatchArgs, Map<String, String> workerEnv) {
    public AllocatorSettings {
        if (maxJobs < 1 || backlog < 1 || maxFailures < 1 || nodesPerJob < 1 || slots < 1) {
            throw new IllegalArgumentException("--max-jobs, --backlog, --max-failures, --nodes-per-job and --slots must be at least 1");
        }
        if (idleTimeout.isZero() || idleTimeout.isNegative() || pollEvery.isZero() || pollEvery.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout and --poll-every must be longer than zero");
        }
        if (!timeLimit.matches("[0-9:-]+")) {
            throw new IllegalArgumentException("--time-limit must be a SLURM time such as 04:00:00 or 1-00:00:00, not " + timeLimit);
        }
    }

    public int slotsPerJob() {
        return nodesPerJob * slots;
    }

    /** sbatch's options for one job: the allocator's, then the user's. */
    public List<String> sbatchOptions() {
        List<String> options = new java.util.ArrayList<>(List.of("--job-name=" + name, "--nodes=" + nodesPerJob,
                "--time=" + timeLimit, "--output=" + name + "-%j.out"));
        options.addAll(sbatchArgs);
        return options;
    }

    /** What the job script reads: the pool, slots, idle exit and the allocation the workers' tags name. */
    public Map<String, String> jobEnv() {
        Map<String, String> env = new java.util.HashMap<>(workerEnv);
        env.put("DP3Q_POOL", pool);
        env.put("DP3Q_SLOTS", Integer.toString(slots));
        env.put("DP3Q_IDLE_EXIT", idleTimeout.toMillis() + "ms");
        env.put("DP3Q_ALLOCATION", name);
        return env;
    }
}
