package org.dp3q.cli.allocate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PausePolicyTest {
    @Test
    void pauses_after_the_configured_failed_sbatch_calls_in_a_row_and_says_why() {
        PausePolicy policy = new PausePolicy(3);
        policy.submitFailed("invalid partition");
        policy.submitFailed("invalid partition");
        assertFalse(policy.isPaused());

        policy.submitFailed("sbatch: error: invalid partition specified: nope");

        assertTrue(policy.isPaused());
        assertTrue(policy.reason().startsWith("3 sbatch calls failed in a row"), policy.reason());
        assertTrue(policy.reason().contains("invalid partition specified: nope"), policy.reason());
    }

    @Test
    void a_successful_sbatch_call_starts_the_count_again() {
        PausePolicy policy = new PausePolicy(2);
        policy.submitFailed("busy");
        policy.submitted();
        policy.submitFailed("busy");

        assertFalse(policy.isPaused());
    }

    @Test
    void pauses_after_jobs_in_a_row_end_without_a_worker_consuming() {
        PausePolicy policy = new PausePolicy(2);
        policy.jobEnded("11", false);
        policy.jobEnded("12", true);
        policy.jobEnded("13", false);
        assertFalse(policy.isPaused());

        policy.jobEnded("14", false);

        assertTrue(policy.isPaused());
        assertTrue(policy.reason().contains("job 14"), policy.reason());
    }

    @Test
    void resume_lifts_the_pause_and_clears_the_counts() {
        PausePolicy policy = new PausePolicy(1);
        policy.submitFailed("no");

        policy.resume();

        assertFalse(policy.isPaused());
        assertNull(policy.reason());
        policy.jobEnded("1", true);
        assertFalse(policy.isPaused());
    }
}
