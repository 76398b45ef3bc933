package org.dp3q.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;

/**
 * Appends events to the stream. The caller owns the channel and its confirms: an event counts as recorded
 * only once the broker confirmed it.
 */
public final class EventPublisher {
    public static final String BATCH_HEADER = "dp3q-batch";

    private EventPublisher() {
    }

    public static AMQP.BasicProperties properties(Event event) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .type(event.event().wire())
                .messageId(event.taskId())
                .headers(Map.of(BATCH_HEADER, event.batch()))
                .build();
    }

    /** Mandatory: the next {@link RoutedChannel#confirm} fails if no stream took the event. */
    public static void publish(RoutedChannel channel, Event event) throws IOException {
        channel.publish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, properties(event), Json.bytes(event));
    }

    public static void publish(Channel channel, Event event) throws IOException {
        channel.basicPublish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, properties(event), Json.bytes(event));
    }
}
