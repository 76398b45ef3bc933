package org.dp3q.cli.allocate;

/**
 * How many worker jobs to submit now, from what the allocator sees: a pure function. Jobs not consuming yet
 * (pending in SLURM, or running but with no worker heard from) will absorb the ready tasks when they start, so only
 * the ready tasks beyond their slots ask for more jobs, and never past {@code --max-jobs} in all or
 * {@code --backlog} pending.
 *
 * @param readyTasks  the pool's ready tasks (waiting for a slot)
 * @param slotsPerJob slots one job brings: nodes per job times slots per worker
 * @param pending     this allocation's jobs SLURM has not started
 * @param starting    its jobs running in SLURM whose worker has not announced itself yet
 * @param running     its jobs whose worker consumes
 */
public record Demand(long readyTasks, int slotsPerJob, int pending, int starting, int running) {
    public Demand {
        if (slotsPerJob < 1) {
            throw new IllegalArgumentException("a job brings at least one slot, not " + slotsPerJob);
        }
    }

    /** The limits of one allocation: jobs in all, and jobs pending at once. */
    public record Limits(int maxJobs, int backlog) {
        public Limits {
            if (maxJobs < 1 || backlog < 1) {
                throw new IllegalArgumentException("--max-jobs and --backlog must be at least 1");
            }
        }
    }

    public int jobsToSubmit(Limits limits) {
        long notConsumingYet = (long) (pending + starting) * slotsPerJob;
        long uncovered = readyTasks - notConsumingYet;
        if (uncovered <= 0) {
            return 0;
        }
        long wanted = (uncovered + slotsPerJob - 1) / slotsPerJob;
        int roomInAll = limits.maxJobs() - (pending + starting + running);
        int roomPending = limits.backlog() - pending;
        return (int) Math.max(0, Math.min(wanted, Math.min(roomInAll, roomPending)));
    }
}
