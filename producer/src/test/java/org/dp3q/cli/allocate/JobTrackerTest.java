package org.dp3q.cli.allocate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobTrackerTest {
    @Test
    void a_job_gone_from_the_listing_has_ended_and_is_told_once() {
        JobTracker tracker = new JobTracker();
        tracker.update(List.of(job("1", "RUNNING"), job("2", "PENDING")));

        assertEquals(List.of("1"), tracker.update(List.of(job("2", "RUNNING"))));
        assertEquals(List.of(), tracker.update(List.of(job("2", "RUNNING"))));
        assertEquals(List.of("2"), tracker.ids(SlurmJob.State.RUNNING));
    }

    @Test
    void a_completing_job_counts_as_ended_and_brings_no_slot() {
        JobTracker tracker = new JobTracker();
        tracker.update(List.of(job("1", "RUNNING")));

        assertEquals(List.of("1"), tracker.update(List.of(job("1", "COMPLETING"))));
        assertEquals(List.of(), tracker.ids(SlurmJob.State.RUNNING));
    }

    @Test
    void a_submitted_job_counts_as_pending_until_the_next_listing() {
        JobTracker tracker = new JobTracker();
        tracker.submitted("7");

        assertEquals(List.of("7"), tracker.ids(SlurmJob.State.PENDING));
        assertEquals(List.of("7"), tracker.update(List.of()));
    }

    @Test
    void squeue_states_map_to_what_the_allocator_counts() {
        assertEquals(SlurmJob.State.PENDING, SlurmJob.State.of("PENDING"));
        assertEquals(SlurmJob.State.RUNNING, SlurmJob.State.of("CONFIGURING"));
        assertEquals(SlurmJob.State.ENDING, SlurmJob.State.of("CANCELLED"));
    }

    private static SlurmJob job(String id, String state) {
        return new SlurmJob(id, SlurmJob.State.of(state));
    }
}
