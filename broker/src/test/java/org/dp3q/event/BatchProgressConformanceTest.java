package org.dp3q.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.dp3q.codec.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance vectors in {@code schemas/conformance/} (event records in, batch state out), which the Python
 * client's tests run too: records are read as a stream reader reads them ({@link EventRecord#read}, unreadable
 * ones skipped) and folded by {@link BatchProgress}.
 */
class BatchProgressConformanceTest {
    /** Tests run with the module directory as working directory. */
    private static final Path VECTORS = Path.of("../schemas/conformance");

    static Stream<Path> vectors() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(VECTORS)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no conformance vectors in " + VECTORS.toAbsolutePath());
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void every_vector_folds_to_its_expected_states(Path file) throws IOException {
        JsonNode vector = Json.MAPPER.readTree(file.toFile());
        JsonNode expect = vector.get("expect");
        BatchProgress progress = new BatchProgress(vector.get("batch").asText(), expect == null ? null : expect.asInt());
        JsonNode records = vector.get("records");
        int applied = 0;
        for (JsonNode check : vector.get("checks")) {
            for (; applied < check.get("after").asInt(); applied++) {
                readRecord(records.get(applied)).forEach(progress::apply);
            }
            String where = file.getFileName() + " after " + applied + " record(s)";
            assertEquals(check.get("outcome").asText(), outcome(progress), where + ": outcome");
            JsonNode total = check.get("total");
            assertEquals(total.isNull() ? null : total.asInt(), progress.total(), where + ": total");
            assertEquals(expectedTasks(check.get("tasks")), states(progress), where + ": tasks");
        }
    }

    /** The events of one record as a stream reader sees them: none when the record is not JSON events. */
    private static List<Event> readRecord(JsonNode record) {
        byte[] body = record.isTextual() ? record.asText().getBytes(StandardCharsets.UTF_8) : Json.bytes(record);
        try {
            return EventRecord.read(body);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String outcome(BatchProgress progress) {
        if (!progress.isComplete()) {
            return "running";
        }
        return progress.isSuccessful() ? "succeeded" : progress.isCancelled() ? "cancelled" : "failed";
    }

    private static Map<String, String> states(BatchProgress progress) {
        Map<String, String> states = new TreeMap<>();
        progress.tasks().forEach(view -> states.put(view.taskId(), view.state().name().toLowerCase(Locale.ROOT)));
        return states;
    }

    private static Map<String, String> expectedTasks(JsonNode tasks) {
        Map<String, String> expected = new TreeMap<>();
        List<String> names = new ArrayList<>();
        tasks.fieldNames().forEachRemaining(names::add);
        names.forEach(name -> expected.put(name, tasks.get(name).asText()));
        return expected;
    }
}
