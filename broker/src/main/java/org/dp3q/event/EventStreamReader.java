package org.dp3q.event;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads events from {@code dp3q.events}, one at a time also from records holding several (see {@link EventRecord}).
 * A reader that reconnects reads from its start offset again; {@link TaskState} makes that harmless.
 */
public final class EventStreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);

    private EventStreamReader() {
    }

    /** Every event from the stream's first record to {@code sink}; catch-up markers to {@code markers}. */
    public static StreamReader start(Connection connection, Consumer<Event> sink, Consumer<StreamReader.Record> markers)
            throws IOException {
        return StreamReader.fromFirst(connection, Topology.EVENTS_STREAM, decoding(record -> true, sink, markers));
    }

    /**
     * A record sink that hands markers to {@code markers}, skips records {@code wanted} refuses (before decoding
     * their body) and records that hold no events, and passes every event of the others to {@code sink}.
     */
    public static Consumer<StreamReader.Record> decoding(Predicate<StreamReader.Record> wanted, Consumer<Event> sink,
                                                         Consumer<StreamReader.Record> markers) {
        return record -> {
            if (record.isMarker()) {
                markers.accept(record);
                return;
            }
            if (!wanted.test(record) || !holdsEvents(record)) {
                return;
            }
            List<Event> events;
            try {
                events = EventRecord.read(record.body());
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable event record at offset {}: {}", record.offset(), e.getMessage());
                return;
            }
            events.forEach(sink);
        };
    }

    /** Event records are typed by their event; other record types (e.g. {@code dp3q.accepted}) are not events. */
    static boolean holdsEvents(StreamReader.Record record) {
        String type = record.properties().getType();
        if (type == null) {
            return true;
        }
        try {
            EventType.fromWire(type);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
