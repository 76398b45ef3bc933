package org.dp3q.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.dp3q.codec.Json;
import org.junit.jupiter.api.Test;

/** The digest is the one docs/design/batch-reads.md gives in Python; the expected values were computed with it. */
class TaskDigestTest {
    @Test
    void matches_the_python_recipe_with_escapes_and_unsorted_env() throws Exception {
        String task = "{\"args\":[\"msin=a.ms\",\"x=\\\"q\\\"\\\\\\u0001\u00e9\\n\"],\"env\":{\"B\":\"1\",\"A\":\"2\"},"
                + "\"timeout_s\":60,\"batch\":\"b\",\"chunk\":3,\"labels\":{\"x\":\"y\"}}";

        assertEquals("sha256:bb8832f5b475544f70fc9c627ca348636bb73592ff5e0bfd7c9ba8e5b69f5028",
                TaskDigest.of(Json.MAPPER.readTree(task)));
    }

    @Test
    void matches_the_python_recipe_with_every_field_given() throws Exception {
        String task = "{\"tool\":\"wsclean\",\"args\":[\"-size\",\"4096\",\"msin=/d/x.ms\"],"
                + "\"env\":{\"OMP_NUM_THREADS\":\"4\",\"A_B\":\"x y\"},\"workdir\":\"/scratch/w\",\"pool\":\"gpu\","
                + "\"timeout_s\":12345678901234,\"max_attempts\":3,\"expected_s\":900,\"batch\":\"b\",\"chunk\":7}";

        assertEquals("sha256:fd0d68a09942cd9fd27d939346a3c362ab01611dfe3d89cc41e72e1a62a8d4fc",
                TaskDigest.of(Json.MAPPER.readTree(task)));
    }

    @Test
    void defaults_count_as_given() throws Exception {
        String empty = "sha256:a861f46548178fc230541e7afc43a7e4e3c21e807e697d076189cc449492f489";

        assertEquals(empty, TaskDigest.of(Json.MAPPER.readTree("{}")));
        assertEquals(empty, TaskDigest.of(Json.MAPPER.readTree("{\"tool\":\"DP3\",\"pool\":\"default\",\"max_attempts\":1,\"id\":\"x\"}")));
    }

    @Test
    void another_argument_is_another_task() throws Exception {
        assertNotEquals(TaskDigest.of(Json.MAPPER.readTree("{\"args\":[\"a=1\"]}")),
                TaskDigest.of(Json.MAPPER.readTree("{\"args\":[\"a=2\"]}")));
    }
}
