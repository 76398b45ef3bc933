package org.dp3q.cli.allocate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The allocation's jobs as of the last {@code squeue}, plus those submitted since; tells which ones left the queue.
 * SLURM is the truth: after a restart the allocator finds its jobs again from the first listing.
 */
final class JobTracker {
    private final Map<String, SlurmJob.State> jobs = new LinkedHashMap<>();

    /** Takes a fresh listing; returns the ids of the jobs that were known and have ended since. */
    List<String> update(List<SlurmJob> listed) {
        Map<String, SlurmJob.State> now = new LinkedHashMap<>();
        listed.stream().filter(j -> j.state() != SlurmJob.State.ENDING).forEach(j -> now.put(j.id(), j.state()));
        List<String> ended = new ArrayList<>();
        jobs.keySet().stream().filter(id -> !now.containsKey(id)).forEach(ended::add);
        jobs.clear();
        jobs.putAll(now);
        return ended;
    }

    void submitted(String id) {
        jobs.put(id, SlurmJob.State.PENDING);
    }

    List<String> ids(SlurmJob.State state) {
        return jobs.entrySet().stream().filter(e -> e.getValue() == state).map(Map.Entry::getKey).toList();
    }
}
