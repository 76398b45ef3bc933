package org.dp3q.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.dp3q.codec.Json;
import org.junit.jupiter.api.Test;

class TaskIdentityTest {

    @Test
    void nothing_readable_gives_an_unidentified_task_of_the_unknown_batch() {
        assertEquals(new TaskIdentity("unidentified", TaskIdentity.UNKNOWN_BATCH, null, null), TaskIdentity.guess(null, null));
    }

    @Test
    void the_message_id_names_a_task_whose_body_has_no_id() {
        assertEquals(new TaskIdentity("m-7", "cal", 3, null), TaskIdentity.guess(json("{\"batch\":\"cal\",\"chunk\":3}"), "m-7"));
    }

    @Test
    void an_id_in_the_body_wins_over_the_message_id() {
        assertEquals("cal/x", TaskIdentity.guess(json("{\"id\":\"cal/x\",\"batch\":\"cal\",\"chunk\":3}"), "m-7").taskId());
    }

    @Test
    void fields_of_the_wrong_type_are_left_unknown() {
        TaskIdentity identity = TaskIdentity.guess(json("{\"id\":5,\"batch\":[\"cal\"],\"chunk\":\"3\",\"chunks\":2.5}"), null);

        assertEquals(new TaskIdentity("unidentified", TaskIdentity.UNKNOWN_BATCH, null, null), identity);
    }

    @Test
    void a_chunk_beyond_int_range_is_left_unknown() {
        assertEquals(null, TaskIdentity.guess(json("{\"batch\":\"cal\",\"chunk\":3000000000}"), null).chunk());
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
