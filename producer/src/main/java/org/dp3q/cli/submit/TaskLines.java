package org.dp3q.cli.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.codec.Json;

/** Reads JSON lines (one task object a line; blank lines and lines starting with '#' are skipped). */
public final class TaskLines {
    private TaskLines() {
    }

    public static List<NumberedTask> read(BufferedReader reader) throws IOException, InvalidInputException {
        return read(reader, first -> { });
    }

    /** As {@link #read(BufferedReader)}; {@code first} is given the first task as soon as it is read. */
    public static List<NumberedTask> read(BufferedReader reader, Consumer<ObjectNode> first)
            throws IOException, InvalidInputException {
        List<NumberedTask> tasks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                if (node instanceof ObjectNode object) {
                    if (tasks.isEmpty()) {
                        first.accept(object);
                    }
                    tasks.add(new NumberedTask(number, object));
                } else {
                    problems.add("line " + number + ": expected a JSON object, got " + node.getNodeType().toString().toLowerCase());
                }
            } catch (JsonProcessingException e) {
                problems.add("line " + number + ": not JSON: " + e.getOriginalMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return tasks;
    }
}
