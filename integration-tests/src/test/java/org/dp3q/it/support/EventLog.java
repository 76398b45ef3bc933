package org.dp3q.it.support;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dp3q.broker.stream.CaughtUpRead;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventStreamReader;
import org.dp3q.event.EventType;

/** Every event of a batch as the stream holds it, read the way {@code wait} reads it. */
public final class EventLog {
    private final List<Event> events;

    private EventLog(List<Event> events) {
        this.events = events;
    }

    public static EventLog read(String brokerUri, String batch) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(brokerUri);
        List<Event> seen = Collections.synchronizedList(new ArrayList<>());
        try (Connection connection = factory.newConnection("dp3q-it-events")) {
            CaughtUpRead.read(connection, Topology.EVENTS_STREAM, "first", EventStreamReader.decoding(record -> true, event -> {
                if (batch.equals(event.batch())) {
                    seen.add(event);
                }
            }, marker -> { }));
        }
        return new EventLog(List.copyOf(seen));
    }

    public List<Event> all() {
        return events;
    }

    public List<Event> of(String taskId, EventType type) {
        return events.stream().filter(e -> taskId.equals(e.taskId()) && e.event() == type).toList();
    }
}
