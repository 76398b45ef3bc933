package org.dp3q.broker.stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.Date;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a RabbitMQ stream without taking anything away from other readers, from its first record or from a
 * point in time. A reader that reconnects (automatic recovery) reads from that same offset again, so what it
 * feeds must tolerate records seen twice.
 */
public final class StreamReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    private static final int PREFETCH = 1000;
    private static final int ACK_EVERY = 200;

    private final Channel channel;

    private StreamReader(Channel channel) {
        this.channel = channel;
    }

    /** One record as read: properties (type, message id) and body. */
    public record Record(AMQP.BasicProperties properties, byte[] body) {
        public boolean isMarker() {
            return CatchUpMarker.TYPE.equals(properties.getType());
        }
    }

    /** From the stream's first record. */
    public static StreamReader fromFirst(Connection connection, String stream, Consumer<Record> sink) throws IOException {
        return start(connection, stream, "first", sink);
    }

    /** From the first record appended at or after {@code since}. */
    public static StreamReader since(Connection connection, String stream, Date since, Consumer<Record> sink)
            throws IOException {
        return start(connection, stream, since, sink);
    }

    private static StreamReader start(Connection connection, String stream, Object offset, Consumer<Record> sink)
            throws IOException {
        Channel channel = connection.createChannel();
        channel.basicQos(PREFETCH);
        StreamReader reader = new StreamReader(channel);
        channel.basicConsume(stream, false, Map.of("x-stream-offset", offset), reader.new Delivery(sink));
        return reader;
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception e) {
            LOG.debug("closing a stream reader's channel: {}", e.toString());
        }
    }

    private final class Delivery extends DefaultConsumer {
        private final Consumer<Record> sink;

        Delivery(Consumer<Record> sink) {
            super(channel);
            this.sink = sink;
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            sink.accept(new Record(properties, body));
            if (envelope.getDeliveryTag() % ACK_EVERY == 0) {
                getChannel().basicAck(envelope.getDeliveryTag(), true);
            }
        }
    }
}
