package org.dp3q.cli.allocate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DemandTest {
    private static final Demand.Limits LIMITS = new Demand.Limits(4, 2);

    @Test
    void an_empty_pool_asks_for_nothing() {
        assertEquals(0, new Demand(0, 2, 0, 0, 0).jobsToSubmit(LIMITS));
    }

    @Test
    void ready_tasks_ask_for_jobs_up_to_the_backlog() {
        assertEquals(1, new Demand(1, 2, 0, 0, 0).jobsToSubmit(LIMITS));
        assertEquals(2, new Demand(40, 2, 0, 0, 0).jobsToSubmit(LIMITS));
    }

    @Test
    void pending_and_starting_jobs_that_cover_the_queue_stop_submitting() {
        assertEquals(0, new Demand(4, 2, 1, 1, 0).jobsToSubmit(LIMITS));
        assertEquals(0, new Demand(2, 2, 1, 0, 0).jobsToSubmit(LIMITS));
        assertEquals(1, new Demand(3, 2, 1, 0, 0).jobsToSubmit(LIMITS));
    }

    @Test
    void never_more_than_max_jobs_in_all() {
        assertEquals(1, new Demand(40, 2, 0, 0, 3).jobsToSubmit(LIMITS));
        assertEquals(0, new Demand(40, 2, 0, 1, 3).jobsToSubmit(LIMITS));
        assertEquals(0, new Demand(40, 2, 1, 0, 5).jobsToSubmit(LIMITS));
    }

    @Test
    void never_more_than_the_backlog_pending() {
        assertEquals(0, new Demand(40, 2, 2, 0, 0).jobsToSubmit(LIMITS));
        assertEquals(1, new Demand(40, 2, 1, 0, 0).jobsToSubmit(LIMITS));
    }

    @Test
    void a_job_of_several_nodes_brings_all_their_slots() {
        assertEquals(1, new Demand(8, 8, 0, 0, 0).jobsToSubmit(LIMITS));
        assertEquals(2, new Demand(9, 8, 0, 0, 0).jobsToSubmit(LIMITS));
    }
}
