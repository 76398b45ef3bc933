package org.dp3q.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.dp3q.codec.Json;
import org.dp3q.task.TaskIdentity;
import org.dp3q.task.TaskSchema;
import org.junit.jupiter.api.Test;

class EventRecordTest {
    private static final Instant AT = Instant.parse("2026-11-26T06:10:00Z");

    private static Event submitted(String batch, int chunk) {
        return Event.of(EventType.SUBMITTED, new TaskIdentity(batch + "/" + chunk, batch, chunk, 3)).pool("default")
                .time(AT).build();
    }

    @Test
    void a_record_of_one_event_is_the_bare_event_as_workers_write_it() {
        Event event = submitted("cal", 0);

        byte[] record = EventRecord.of(List.of(event)).body();

        assertEquals(new String(Json.bytes(event), StandardCharsets.UTF_8), new String(record, StandardCharsets.UTF_8));
        assertEquals(List.of(event), EventRecord.read(record));
    }

    @Test
    void a_record_of_several_events_reads_back_as_those_events_in_order() {
        List<Event> events = IntStream.range(0, 3).mapToObj(i -> submitted("cal", i)).toList();

        byte[] record = EventRecord.of(events).body();

        assertTrue(new String(record, StandardCharsets.UTF_8).startsWith("["));
        assertEquals(events, EventRecord.read(record));
    }

    @Test
    void every_event_of_an_array_record_is_valid_against_the_event_schema() throws Exception {
        byte[] record = EventRecord.of(List.of(submitted("cal", 0), submitted("cal", 1))).body();

        for (var node : Json.MAPPER.readTree(record)) {
            assertEquals(List.of(), TaskSchema.event().problems(node));
        }
    }

    @Test
    void an_array_after_whitespace_is_still_an_array() {
        byte[] record = ("\n  " + new String(EventRecord.of(List.of(submitted("cal", 0), submitted("cal", 1))).body(),
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        assertEquals(2, EventRecord.read(record).size());
    }

    @Test
    void events_of_two_batches_or_two_types_never_share_a_record() {
        assertThrows(IllegalArgumentException.class, () -> EventRecord.of(List.of(submitted("a", 0), submitted("b", 0))));
        Event started = Event.of(EventType.STARTED, new TaskIdentity("a/1", "a", 1, 3)).time(AT).build();
        assertThrows(IllegalArgumentException.class, () -> EventRecord.of(List.of(submitted("a", 0), started)));
        assertThrows(IllegalArgumentException.class, () -> EventRecord.of(List.of()));
    }

    @Test
    void a_record_that_is_not_events_is_refused() {
        assertThrows(RuntimeException.class, () -> EventRecord.read("[1, 2]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(RuntimeException.class, () -> EventRecord.read("not json".getBytes(StandardCharsets.UTF_8)));
    }
}
