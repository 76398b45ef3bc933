package org.dp3q.event;

import com.fasterxml.jackson.core.type.TypeReference;
import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.dp3q.codec.Json;

/**
 * One record of the event stream: a single event (a JSON object), or several events of one batch (a JSON array
 * of them). Workers record one event per record; {@code submit} records its {@code submitted} events up to a
 * block of tasks per record, because one record per task made the broker's per-message cost the limit of
 * {@code submit}. Readers see events, never records: {@link EventStreamReader} unpacks arrays.
 */
public record EventRecord(AMQP.BasicProperties properties, byte[] body) {
    private static final TypeReference<List<Event>> EVENTS = new TypeReference<>() { };

    /** The events a record holds, in order; throws an unchecked exception when it is not JSON events. */
    public static List<Event> read(byte[] body) {
        if (startsArray(body)) {
            try {
                return Json.MAPPER.readValue(body, EVENTS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.of(Json.read(body, Event.class));
    }

    /**
     * The record of {@code events}, all of one batch and type: the bare event when there is one, else an array;
     * its properties are those of {@link EventPublisher#properties(Event)} for the first event.
     */
    public static EventRecord of(List<Event> events) {
        requireOneBatch(events);
        byte[] body = events.size() == 1 ? Json.bytes(events.get(0)) : Json.bytes(events);
        return new EventRecord(EventPublisher.properties(events.get(0)), body);
    }

    private static void requireOneBatch(List<Event> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an event record holds at least one event");
        }
        Event first = events.get(0);
        for (Event event : events) {
            if (!event.batch().equals(first.batch()) || event.event() != first.event()) {
                throw new IllegalArgumentException("the events of one record share their batch and type: "
                        + first.event().wire() + " of " + first.batch() + ", then " + event.event().wire() + " of " + event.batch());
            }
        }
    }

    private static boolean startsArray(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '[';
            }
        }
        return false;
    }
}
