package org.dp3q.cli.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.codec.Json;
import org.junit.jupiter.api.Test;

class TaskBatchTest {
    private static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");

    @Test
    void the_publisher_fills_schema_id_chunks_and_submission_time() throws Exception {
        TaskBatch batch = TaskBatch.prepare(lines(
                "{\"batch\":\"cal\",\"chunk\":0,\"args\":[\"msin=obs.ms\"]}",
                "{\"batch\":\"cal\",\"chunk\":1,\"args\":[\"msin=obs.ms\"]}"), null, NOW);

        ObjectNode first = batch.tasks().get(0).task();
        assertEquals("dp3q.task/1", first.get("schema").asText());
        assertEquals("cal/0", first.get("id").asText());
        assertEquals(2, first.get("chunks").asInt());
        assertEquals("2026-11-26T06:00:00Z", first.get("submitted_at").asText());
        assertEquals("cal/1", batch.tasks().get(1).id());
    }

    @Test
    void what_a_line_sets_itself_is_kept() throws Exception {
        TaskBatch batch = TaskBatch.prepare(lines(
                "{\"id\":\"cal-first\",\"batch\":\"cal\",\"chunk\":0,\"chunks\":10,\"args\":[],"
                        + "\"submitted_at\":\"2026-01-01T00:00:00Z\"}"), null, NOW);

        ObjectNode task = batch.tasks().get(0).task();
        assertEquals("cal-first", task.get("id").asText());
        assertEquals(10, task.get("chunks").asInt());
        assertEquals("2026-01-01T00:00:00Z", task.get("submitted_at").asText());
    }

    @Test
    void chunks_counts_the_tasks_of_each_batch_separately() throws Exception {
        TaskBatch batch = TaskBatch.prepare(lines(
                "{\"batch\":\"a\",\"chunk\":0,\"args\":[]}",
                "{\"batch\":\"b\",\"chunk\":0,\"args\":[]}",
                "{\"batch\":\"a\",\"chunk\":1,\"args\":[]}",
                "{\"batch\":\"a\",\"chunk\":2,\"args\":[]}"), null, NOW);

        assertEquals(List.of(3, 1, 3, 3), batch.tasks().stream().map(t -> t.task().get("chunks").asInt()).toList());
    }

    @Test
    void the_batch_option_fills_lines_without_a_batch() throws Exception {
        TaskBatch batch = TaskBatch.prepare(lines(
                "{\"chunk\":0,\"args\":[]}",
                "{\"batch\":\"cal\",\"chunk\":1,\"args\":[]}"), "cal", NOW);

        assertEquals(List.of("cal/0", "cal/1"), batch.tasks().stream().map(NumberedTask::id).toList());
        assertEquals(List.of("cal", "cal"), batch.tasks().stream().map(NumberedTask::batch).toList());
    }

    @Test
    void a_line_naming_another_batch_than_the_option_is_rejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TaskBatch.prepare(lines(
                "{\"batch\":\"cal\",\"chunk\":0,\"args\":[]}",
                "{\"batch\":\"image\",\"chunk\":1,\"args\":[]}"), "cal", NOW));

        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("line 2: "), e.problems().get(0));
        assertTrue(e.problems().get(0).contains("image") && e.problems().get(0).contains("--batch cal"), e.problems().get(0));
    }

    @Test
    void a_task_id_used_twice_is_rejected_with_the_line_of_the_second() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TaskBatch.prepare(lines(
                "{\"batch\":\"cal\",\"chunk\":0,\"args\":[]}",
                "{\"batch\":\"cal\",\"chunk\":1,\"args\":[]}",
                "{\"batch\":\"cal\",\"chunk\":0,\"args\":[\"again\"]}"), null, NOW));

        assertEquals(List.of("line 3: task id cal/0 appears more than once"), e.problems());
    }

    @Test
    void every_invalid_line_is_reported_with_its_number_and_the_whole_input_is_rejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TaskBatch.prepare(lines(
                "{\"batch\":\"cal\",\"chunk\":0,\"args\":[]}",
                "{\"batch\":\"cal\",\"chunk\":-1,\"args\":[]}",
                "{\"batch\":\"cal\",\"chunk\":2,\"args\":[],\"tool\":\"/usr/bin/DP3\"}",
                "{\"batch\":\"cal\",\"chunk\":3,\"args\":[]}"), null, NOW));

        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("line 2: ") && e.problems().get(0).contains("chunk"), e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("line 3: ") && e.problems().get(1).contains("tool"), e.problems().get(1));
        assertTrue(e.getMessage().startsWith("2 problem(s)"), e.getMessage());
    }

    @Test
    void a_line_without_chunk_is_rejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TaskBatch.prepare(lines("{\"batch\":\"cal\",\"args\":[]}"), null, NOW));

        assertTrue(e.problems().get(0).startsWith("line 1: ") && e.problems().get(0).contains("chunk"), e.problems().toString());
    }

    @Test
    void an_empty_input_is_rejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TaskBatch.prepare(List.of(), null, NOW));

        assertEquals(List.of("no tasks in the input"), e.problems());
    }

    @Test
    void the_pools_of_the_batch_default_to_default() throws Exception {
        TaskBatch batch = TaskBatch.prepare(lines(
                "{\"batch\":\"cal\",\"chunk\":0,\"args\":[],\"pool\":\"highmem\"}",
                "{\"batch\":\"cal\",\"chunk\":1,\"args\":[]}"), null, NOW);

        assertEquals(Set.of("default", "highmem"), batch.pools());
        assertEquals("default", batch.tasks().get(1).pool());
    }

    private static List<NumberedTask> lines(String... json) throws Exception {
        List<NumberedTask> tasks = new ArrayList<>();
        for (int i = 0; i < json.length; i++) {
            tasks.add(new NumberedTask(i + 1, (ObjectNode) Json.MAPPER.readTree(json[i])));
        }
        return tasks;
    }

    @Test
    void submit_records_events_in_blocks_of_one_batch_of_ten_then_a_hundred_then_at_most_a_thousand_tasks() throws Exception {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            input.add("{\"batch\":\"a\",\"chunk\":" + i + ",\"args\":[]}");
        }
        input.add("{\"batch\":\"b\",\"chunk\":0,\"args\":[]}");
        input.add("{\"batch\":\"a\",\"chunk\":2500,\"args\":[]}");
        List<NumberedTask> tasks = TaskBatch.prepare(lines(input.toArray(String[]::new)), null, NOW).tasks();

        List<List<NumberedTask>> blocks = TaskPublisher.blocks(tasks);

        assertEquals(List.of(10, 100, 1000, 1000, 390, 1, 1), blocks.stream().map(List::size).toList());
        assertEquals(tasks, blocks.stream().flatMap(List::stream).toList(), "every task once, in input order");
        blocks.forEach(block -> assertEquals(1, block.stream().map(NumberedTask::batch).distinct().count()));
    }

    @Test
    void problems_are_reported_for_every_invalid_line_in_input_order() {
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            input.add(i % 50 == 7 ? "{\"batch\":\"a\",\"chunk\":-1,\"args\":[]}" : "{\"batch\":\"a\",\"chunk\":" + i + ",\"args\":[]}");
        }

        InvalidInputException rejected = assertThrows(InvalidInputException.class,
                () -> TaskBatch.prepare(lines(input.toArray(String[]::new)), null, NOW));

        List<String> lines = rejected.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).distinct().toList();
        assertEquals(List.of("line 8", "line 58", "line 108", "line 158"), lines);
    }
}
