package org.dp3q.cli.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.junit.jupiter.api.Test;

class TaskLinesTest {

    @Test
    void blank_lines_and_comments_are_skipped_and_lines_keep_their_numbers() throws Exception {
        List<NumberedTask> tasks = read("""
                # cal-phase, 2 chunks
                {"batch":"cal","chunk":0,"args":[]}

                   \t
                  # indented comment
                {"batch":"cal","chunk":1,"args":[]}
                """);

        assertEquals(List.of(2, 6), tasks.stream().map(NumberedTask::line).toList());
        assertEquals(1, tasks.get(1).task().get("chunk").asInt());
    }

    @Test
    void windows_line_endings_are_read() throws Exception {
        List<NumberedTask> tasks = read("{\"chunk\":0}\r\n{\"chunk\":1}\r\n");

        assertEquals(2, tasks.size());
    }

    @Test
    void every_line_that_is_not_json_is_reported_with_its_number() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read("""
                {"batch":"cal","chunk":0,"args":[]}
                batch=cal chunk=1
                {"batch":"cal","chunk":2,"args":[]}
                {"batch":"cal","chunk":3,
                """));

        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("line 2: not JSON"), e.problems().get(0));
        assertTrue(e.problems().get(1).startsWith("line 4: not JSON"), e.problems().get(1));
    }

    @Test
    void json_that_is_not_an_object_is_reported() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read("[1,2]\n42\n"));

        assertEquals(List.of("line 1: expected a JSON object, got array", "line 2: expected a JSON object, got number"),
                e.problems());
    }

    @Test
    void an_empty_input_gives_no_tasks() throws Exception {
        assertTrue(read("\n# nothing\n").isEmpty());
    }

    private static List<NumberedTask> read(String text) throws Exception {
        return TaskLines.read(new BufferedReader(new StringReader(text)));
    }
}
