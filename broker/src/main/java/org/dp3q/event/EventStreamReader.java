package org.dp3q.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the event stream from its first record without taking anything away from other readers. A reader
 * that reconnects reads from the start again; {@link TaskState} makes that harmless.
 */
public final class EventStreamReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);
    private static final int PREFETCH = 1000;
    private static final int ACK_EVERY = 200;

    private final Channel channel;
    private volatile long lastDeliveryNanos = System.nanoTime();

    private EventStreamReader(Channel channel) {
        this.channel = channel;
    }

    /** Starts delivering every event to {@code sink} on the client's consumer thread. */
    public static EventStreamReader start(Connection connection, Consumer<Event> sink) throws IOException {
        Channel channel = connection.createChannel();
        channel.basicQos(PREFETCH);
        EventStreamReader reader = new EventStreamReader(channel);
        channel.basicConsume(Topology.EVENTS_STREAM, false, Map.of("x-stream-offset", "first"),
                reader.new Delivery(sink));
        return reader;
    }

    /** Nanoseconds since the last event arrived, to tell when a reader has caught up with the stream. */
    public long nanosSinceLastEvent() {
        return System.nanoTime() - lastDeliveryNanos;
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception e) {
            LOG.debug("closing the event reader's channel: {}", e.toString());
        }
    }

    private final class Delivery extends DefaultConsumer {
        private final Consumer<Event> sink;

        Delivery(Consumer<Event> sink) {
            super(channel);
            this.sink = sink;
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            lastDeliveryNanos = System.nanoTime();
            Event event = null;
            try {
                event = Json.read(body, Event.class);
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable event record: {}", e.getMessage());
            }
            if (event != null) {
                sink.accept(event);
            }
            if (envelope.getDeliveryTag() % ACK_EVERY == 0) {
                getChannel().basicAck(envelope.getDeliveryTag(), true);
            }
        }
    }
}
