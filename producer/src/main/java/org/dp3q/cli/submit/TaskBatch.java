package org.dp3q.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dp3q.task.Task;
import org.dp3q.task.TaskSchema;

/**
 * Tasks about to be published, numbered by their input line. Fills the defaults a publisher sets
 * ({@code schema}, {@code batch}, {@code id}, {@code chunks}, {@code submitted_at}), then validates every one:
 * either all are valid or the whole input is rejected with line numbers.
 */
public final class TaskBatch {
    private final List<NumberedTask> tasks;

    private TaskBatch(List<NumberedTask> tasks) {
        this.tasks = tasks;
    }

    public record NumberedTask(int line, ObjectNode task) {
        public String id() {
            return task.get("id").asText();
        }

        public String pool() {
            JsonNode pool = task.get("pool");
            return pool == null ? org.dp3q.broker.topology.Topology.DEFAULT_POOL : pool.asText();
        }

        public String batch() {
            return task.get("batch").asText();
        }
    }

    public static TaskBatch prepare(List<NumberedTask> input, String batchOverride, Instant now)
            throws InvalidInputException {
        // per task, on every core: a batch may hold a hundred thousand chunks
        List<List<String>> identityProblems = input.parallelStream()
                .map(numbered -> fillIdentity(numbered, batchOverride)).toList();
        Map<String, Integer> batchSizes = batchSizes(input);
        String submittedAt = now.toString();
        List<List<String>> schemaProblems = input.parallelStream().map(numbered -> {
            fillChunksAndTime(numbered.task(), batchSizes, submittedAt);
            return TaskSchema.task().problems(numbered.task());
        }).toList();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            NumberedTask numbered = input.get(i);
            problems.addAll(identityProblems.get(i));
            schemaProblems.get(i).forEach(p -> problems.add("line " + numbered.line() + ": " + p));
            JsonNode id = numbered.task().get("id");
            if (id != null && !ids.add(id.asText())) {
                problems.add("line " + numbered.line() + ": task id " + id.asText() + " appears more than once");
            }
        }
        if (input.isEmpty()) {
            problems.add("no tasks in the input");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new TaskBatch(List.copyOf(input));
    }

    private static Map<String, Integer> batchSizes(List<NumberedTask> input) {
        Map<String, Integer> sizes = new HashMap<>();
        for (NumberedTask numbered : input) {
            JsonNode batch = numbered.task().get("batch");
            if (batch != null) {
                sizes.merge(batch.asText(), 1, Integer::sum);
            }
        }
        return sizes;
    }

    /** {@code chunks} defaults to the number of tasks of the batch in this input; {@code submitted_at} to now. */
    private static void fillChunksAndTime(ObjectNode task, Map<String, Integer> batchSizes, String submittedAt) {
        JsonNode batch = task.get("batch");
        if (batch != null && !task.has("chunks")) {
            task.put("chunks", batchSizes.get(batch.asText()));
        }
        if (!task.has("submitted_at")) {
            task.put("submitted_at", submittedAt);
        }
    }

    /** Fills {@code schema}, {@code batch} and {@code id}; returns the line's problem with {@code --batch}, if any. */
    private static List<String> fillIdentity(NumberedTask numbered, String batchOverride) {
        ObjectNode task = numbered.task();
        List<String> problems = List.of();
        if (!task.has("schema")) {
            task.put("schema", Task.SCHEMA);
        }
        if (batchOverride != null) {
            JsonNode batch = task.get("batch");
            if (batch != null && !batch.asText().equals(batchOverride)) {
                problems = List.of("line " + numbered.line() + ": batch " + batch + " differs from --batch " + batchOverride);
            }
            task.put("batch", batchOverride);
        }
        JsonNode batch = task.get("batch");
        JsonNode chunk = task.get("chunk");
        if (!task.has("id") && batch != null && batch.isTextual() && chunk != null && chunk.isIntegralNumber()) {
            task.put("id", Task.defaultId(batch.asText(), chunk.asLong()));
        }
        return problems;
    }

    /** These tasks only (a subset of an already prepared batch, in input order). */
    public TaskBatch only(List<NumberedTask> subset) {
        return new TaskBatch(List.copyOf(subset));
    }

    /** The batches of the input, in order of first appearance. */
    public List<String> batches() {
        return tasks.stream().map(NumberedTask::batch).distinct().toList();
    }

    public List<NumberedTask> tasks() {
        return tasks;
    }

    public Set<String> pools() {
        Set<String> pools = new java.util.TreeSet<>();
        tasks.forEach(t -> pools.add(t.pool()));
        return pools;
    }
}
