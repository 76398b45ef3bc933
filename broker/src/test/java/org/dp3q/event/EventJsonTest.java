package org.dp3q.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dp3q.codec.Json;
import org.dp3q.task.TaskIdentity;
import org.dp3q.task.TaskSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventJsonTest {
    private static final TaskIdentity TASK = new TaskIdentity("cal/4", "cal", 4, 10);
    private static final Instant AT = Instant.parse("2026-11-26T06:10:00Z");

    private static Event failure() {
        return Event.of(EventType.FAILED, TASK)
                .pool("highmem").attempt(5).time(AT)
                .worker(new WorkerRef("node01", 4242L, 1, "node01-a"))
                .exitCode(null).signal(9).durationMs(41_000).cpuMs(39_000L).maxRssKb(2_048_000L)
                .log("/scratch/logs/cal/4.attempt5.log").stderrTail("Killed")
                .reason(Reason.DELIVERY_LIMIT).message("the broker gave up after 5 deliveries")
                .labels(Map.of("step", "phase-1"))
                .build();
    }

    @Test
    void field_names_are_snake_case() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.line(failure()));

        Set<String> names = new TreeSet<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(List.of("schema", "event", "task_id", "batch", "chunk", "chunks", "pool", "attempt",
                "time", "worker", "signal", "duration_ms", "cpu_ms", "max_rss_kb", "log", "stderr_tail", "reason",
                "message", "labels")), names);
    }

    @Test
    void enums_use_their_wire_names() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Json.line(failure()));

        assertEquals("failed", json.get("event").asText());
        assertEquals("delivery-limit", json.get("reason").asText());
        assertEquals("dp3q.event/1", json.get("schema").asText());
        assertEquals("2026-11-26T06:10:00Z", json.get("time").asText());
    }

    @Test
    void absent_fields_are_left_out() throws Exception {
        Event submitted = Event.of(EventType.SUBMITTED, new TaskIdentity("cal/0", "cal", null, null)).time(AT).build();

        JsonNode json = Json.MAPPER.readTree(Json.line(submitted));

        Set<String> names = new TreeSet<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("schema", "event", "task_id", "batch", "time"), names);
    }

    @Test
    void an_event_survives_a_round_trip() {
        Event event = failure();

        assertEquals(event, Json.read(Json.bytes(event), Event.class));
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void every_reason_survives_a_round_trip(Reason reason) {
        Event event = Event.of(EventType.FAILED, TASK).time(AT).reason(reason).build();

        assertEquals(reason, Json.read(Json.bytes(event), Event.class).reason());
    }

    @Test
    void an_unknown_event_type_cannot_be_read() {
        byte[] body = "{\"schema\":\"dp3q.event/1\",\"event\":\"paused\",\"task_id\":\"a\",\"batch\":\"b\",\"time\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);

        assertThrows(RuntimeException.class, () -> Json.read(body, Event.class));
    }

    @Test
    void a_full_event_follows_the_event_schema() {
        List<String> problems = TaskSchema.event().problems(Json.MAPPER.valueToTree(failure()));

        assertTrue(problems.isEmpty(), problems.toString());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void every_event_type_follows_the_event_schema(EventType type) {
        Event event = Event.of(type, TASK).attempt(1).time(AT).build();

        List<String> problems = TaskSchema.event().problems(Json.MAPPER.valueToTree(event));

        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void the_event_schema_rejects_an_unknown_field() {
        JsonNode json = Json.MAPPER.valueToTree(failure());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("exit_status", 1);

        assertFalse(TaskSchema.event().problems(json).isEmpty());
    }

    @Test
    void the_schema_lists_exactly_the_event_types_and_reasons_of_the_code() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream(TaskSchema.EVENT_RESOURCE)) {
            schema = Json.MAPPER.readTree(in);
        }

        assertEquals(wireNames(EventType.values()), enumOf(schema.at("/properties/event/enum")));
        assertEquals(wireNames(Reason.values()), enumOf(schema.at("/properties/reason/enum")));
    }

    @Test
    void the_example_event_reads_and_writes_back_unchanged() throws Exception {
        byte[] example = Files.readAllBytes(Path.of("../schemas/examples/event/valid-failed.json"));

        Event event = Json.read(example, Event.class);

        assertEquals(Reason.EXIT, event.reason());
        assertEquals(4242L, event.worker().pid());
        assertEquals(Json.MAPPER.readTree(example), Json.MAPPER.readTree(Json.bytes(event)));
        assertTrue(TaskSchema.event().problems(Json.MAPPER.readTree(example)).isEmpty());
    }

    private static List<String> enumOf(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> wireNames(Object[] values) {
        return Arrays.stream(values).map(v -> Json.MAPPER.valueToTree(v).asText()).toList();
    }
}
