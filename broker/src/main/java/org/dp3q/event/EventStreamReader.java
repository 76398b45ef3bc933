package org.dp3q.event;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every event from the start of {@code dp3q.events}, one at a time also from records holding several
 * (see {@link EventRecord}). A reader that reconnects reads from the start again;
 * {@link TaskState} makes that harmless.
 */
public final class EventStreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);

    private EventStreamReader() {
    }

    /** Every event to {@code sink}; catch-up markers to {@code markers}. */
    public static StreamReader start(Connection connection, Consumer<Event> sink, Consumer<StreamReader.Record> markers)
            throws IOException {
        return StreamReader.fromFirst(connection, Topology.EVENTS_STREAM, record -> {
            if (record.isMarker()) {
                markers.accept(record);
                return;
            }
            List<Event> events;
            try {
                events = EventRecord.read(record.body());
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable event record: {}", e.getMessage());
                return;
            }
            events.forEach(sink);
        });
    }
}
