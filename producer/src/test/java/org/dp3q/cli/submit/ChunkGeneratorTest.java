package org.dp3q.cli.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.junit.jupiter.api.Test;

class ChunkGeneratorTest {

    private static ChunkGenerator generator(int chunks, int ntimes, int firstSlot, List<String> args) {
        return new ChunkGenerator("cal", chunks, ntimes, firstSlot, args, null, null, null, null, null, null);
    }

    @Test
    void makes_one_task_per_chunk_numbered_from_zero() {
        List<NumberedTask> tasks = generator(4, 75, 0, List.of("msin=obs.ms")).generate();

        assertEquals(4, tasks.size());
        for (int i = 0; i < 4; i++) {
            ObjectNode task = tasks.get(i).task();
            assertEquals(i, task.get("chunk").asInt());
            assertEquals(4, task.get("chunks").asInt());
            assertEquals("cal", task.get("batch").asText());
            assertEquals("dp3q.task/1", task.get("schema").asText());
        }
    }

    @Test
    void chunk_i_reads_k_timeslots_from_s_plus_i_times_k() {
        List<NumberedTask> tasks = generator(3, 75, 300, List.of("msin=obs.ms", "steps=[solve]")).generate();

        assertEquals(List.of("msin=obs.ms", "steps=[solve]", "msin.starttimeslot=300", "msin.ntimes=75"), args(tasks.get(0)));
        assertEquals(List.of("msin=obs.ms", "steps=[solve]", "msin.starttimeslot=375", "msin.ntimes=75"), args(tasks.get(1)));
        assertEquals(List.of("msin=obs.ms", "steps=[solve]", "msin.starttimeslot=450", "msin.ntimes=75"), args(tasks.get(2)));
    }

    @Test
    void start_slots_past_the_int_range_do_not_overflow() {
        List<NumberedTask> tasks = generator(3, 1_000_000_000, 2_000_000_000, List.of()).generate();

        assertEquals("msin.starttimeslot=4000000000", args(tasks.get(2)).get(0));
    }

    @Test
    void chunk_placeholders_are_expanded_in_every_argument() {
        List<NumberedTask> tasks = generator(12, 10, 0,
                List.of("msin=obs.ms", "solve.h5parm=/work/out_{chunk}.h5parm", "msout=/work/chunk{chunk}/{chunk}.ms")).generate();

        List<String> args = args(tasks.get(11));
        assertEquals("msin=obs.ms", args.get(0));
        assertEquals("solve.h5parm=/work/out_11.h5parm", args.get(1));
        assertEquals("msout=/work/chunk11/11.ms", args.get(2));
        assertFalse(args.stream().anyMatch(a -> a.contains("{chunk}")));
    }

    @Test
    void the_tool_is_dp3_unless_named() {
        assertEquals("DP3", generator(1, 1, 0, List.of()).generate().get(0).task().get("tool").asText());

        ChunkGenerator named = new ChunkGenerator("cal", 1, 1, 0, List.of(), "wsclean", null, null, null, null, null);
        assertEquals("wsclean", named.generate().get(0).task().get("tool").asText());
    }

    @Test
    void options_not_given_stay_out_of_the_task() {
        ObjectNode task = generator(1, 1, 0, List.of()).generate().get(0).task();

        for (String field : List.of("pool", "workdir", "env", "timeout_s", "max_attempts", "id")) {
            assertFalse(task.has(field), field);
        }
    }

    @Test
    void options_given_are_carried_into_every_task() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_NUM_THREADS", "8");
        ChunkGenerator generator = new ChunkGenerator("cal", 2, 5, 0, List.of(), null, "highmem", "/work", env, 3600, 3);

        for (NumberedTask numbered : generator.generate()) {
            ObjectNode task = numbered.task();
            assertEquals("highmem", task.get("pool").asText());
            assertEquals("/work", task.get("workdir").asText());
            assertEquals("8", task.at("/env/OMP_NUM_THREADS").asText());
            assertEquals(3600, task.get("timeout_s").asInt());
            assertEquals(3, task.get("max_attempts").asInt());
        }
    }

    @Test
    void generated_tasks_are_valid_and_named_batch_slash_chunk() throws Exception {
        List<NumberedTask> generated = generator(3, 75, 0, List.of("msin=/data/obs.ms", "out=o_{chunk}")).generate();

        TaskBatch batch = TaskBatch.prepare(generated, null, Instant.parse("2026-11-26T06:00:00Z"));

        assertEquals(List.of("cal/0", "cal/1", "cal/2"), batch.tasks().stream().map(NumberedTask::id).toList());
        assertEquals(List.of(1, 2, 3), batch.tasks().stream().map(NumberedTask::line).toList());
        assertTrue(batch.tasks().stream().allMatch(t -> t.task().has("submitted_at")));
    }

    private static List<String> args(NumberedTask task) {
        List<String> args = new ArrayList<>();
        for (JsonNode arg : task.task().get("args")) {
            args.add(arg.asText());
        }
        return args;
    }
}
