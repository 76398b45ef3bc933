package org.dp3q.worker.slot;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class CodecWarmUpTest {
    @Test
    void the_warm_up_task_still_follows_the_task_schema_and_its_events_and_claims_encode() {
        // a schema change that the sample no longer follows would stop every worker at its start
        assertDoesNotThrow(CodecWarmUp::run);
    }
}
