package org.dp3q.broker.stream;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a RabbitMQ stream without taking anything away from other readers, from its first record or from a
 * point in time. A reader that reconnects reads from that same offset again, so what it feeds must tolerate
 * records seen twice.
 * <p>
 * It subscribes again by itself, not through the client's consumer recovery: right after a broker restart
 * the stream is often not ready when the connection is back, the recovered subscription fails, and the
 * client does not try again; a reader would then wait forever. Here a failed subscription is retried, and so
 * is one the broker cancels or whose channel it closes.
 */
public final class StreamReader implements AutoCloseable {
    /** Consumer tags of stream readers start with this; automatic recovery leaves them to the reader. */
    public static final String CONSUMER_TAG_PREFIX = "dp3q-stream-reader-";
    /** Where to start reading, and the header the broker puts each delivered record's offset in. */
    public static final String OFFSET_HEADER = "x-stream-offset";
    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    /** Bad records already logged by this process, so that each is named once however often it is read. */
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int PREFETCH = 1000;
    private static final int ACK_EVERY = 200;
    private static final long RESUBSCRIBE_DELAY_MS = 1000;
    private static final ScheduledExecutorService RESUBSCRIBER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "stream-reader-resubscribe");
        thread.setDaemon(true);
        return thread;
    });

    private final Connection connection;
    private final String stream;
    private final Object offset;
    private final Consumer<Record> sink;
    private volatile Channel channel;
    private volatile boolean closed;

    private StreamReader(Connection connection, String stream, Object offset, Consumer<Record> sink) {
        this.connection = connection;
        this.stream = stream;
        this.offset = offset;
        this.sink = sink;
    }

    /** One record as read: properties (type, message id) and body. */
    public record Record(AMQP.BasicProperties properties, byte[] body) {
        public boolean isMarker() {
            return CatchUpMarker.TYPE.equals(properties.getType());
        }

        /** The record's offset in its stream (the broker's {@code x-stream-offset} header), or null. */
        public Long offset() {
            return header(OFFSET_HEADER) instanceof Number number ? number.longValue() : null;
        }

        /** A header as text (the broker delivers strings as long strings), or null. */
        public String headerText(String name) {
            Object value = header(name);
            return value == null ? null : value.toString();
        }

        /** A whole-number header, or null when it is absent or not a number. */
        public Long headerLong(String name) {
            return header(name) instanceof Number number ? number.longValue() : null;
        }

        private Object header(String name) {
            Map<String, Object> headers = properties.getHeaders();
            return headers == null ? null : headers.get(name);
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

    /**
     * From {@code offset}: a numeric offset (a {@code Long}: the reader starts at the chunk holding it, so records
     * just before it may come too), a {@code Date} (the broker's time of writing), or "first", "last", "next".
     */
    public static StreamReader from(Connection connection, String stream, Object offset, Consumer<Record> sink)
            throws IOException {
        return start(connection, stream, offset, sink);
    }

    private static StreamReader start(Connection connection, String stream, Object offset, Consumer<Record> sink)
            throws IOException {
        StreamReader reader = new StreamReader(connection, stream, offset, sink);
        reader.subscribe();
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    reader.resubscribeSoon("the connection was recovered");
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // nothing to read until the connection is back
                }
            });
        }
        return reader;
    }

    private synchronized void subscribe() throws IOException {
        if (closed) {
            return;
        }
        Channel opened = connection.createChannel();
        opened.basicQos(PREFETCH);
        opened.addShutdownListener(this::onChannelShutdown);
        // switch first: the old channel's deliveries are ignored from here on
        Channel old = channel;
        channel = opened;
        abort(old);
        opened.basicConsume(stream, false, CONSUMER_TAG_PREFIX + UUID.randomUUID(), false, false,
                Map.of(OFFSET_HEADER, offset), new Delivery(opened));
    }

    private void onChannelShutdown(ShutdownSignalException cause) {
        // a lost connection is resubscribed once it is recovered; a channel-level close needs it now
        if (!closed && !cause.isInitiatedByApplication() && !cause.isHardError()) {
            resubscribeSoon("its channel closed: " + cause.getMessage());
        }
    }

    private void resubscribeSoon(String why) {
        if (closed) {
            return;
        }
        LOG.debug("reading stream {} again from {}: {}", stream, offset, why);
        RESUBSCRIBER.schedule(() -> {
            try {
                subscribe();
            } catch (IOException | RuntimeException e) {
                if (connection.isOpen()) {
                    resubscribeSoon("the stream is not readable yet (" + e.getMessage() + ")");
                }
            }
        }, RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** Reads the stream again from the start offset on a new subscription, e.g. when this one seems stuck. */
    public void restart() throws IOException {
        LOG.debug("reading stream {} again from {}: asked to", stream, offset);
        subscribe();
    }

    @Override
    public void close() {
        closed = true;
        Channel open = channel;
        try {
            if (open != null && open.isOpen()) {
                open.close();
            }
        } catch (Exception e) {
            LOG.debug("closing a stream reader's channel: {}", e.toString());
        }
    }

    private static void abort(Channel channel) {
        try {
            if (channel != null && channel.isOpen()) {
                channel.abort();
            }
        } catch (Exception e) {
            LOG.debug("dropping a stream reader's old channel: {}", e.toString());
        }
    }

    /**
     * A record the sink cannot take (a malformed body, a bug) is logged with its offset and skipped: thrown on, it
     * would reach the client's default handler, which closes the channel and so stops the reader for good.
     */
    private void feed(Record record) {
        try {
            sink.accept(record);
        } catch (RuntimeException e) {
            if (WARNED.add(stream + "@" + record.offset()) && WARNED.size() < 1000) {
                LOG.warn("stream {}: skipping the record at offset {} ({})", stream, record.offset(), e.toString());
            } else {
                LOG.debug("stream {}: skipping the record at offset {} ({})", stream, record.offset(), e.toString());
            }
        }
    }

    private final class Delivery extends DefaultConsumer {
        Delivery(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            if (getChannel() == channel) {
                feed(new Record(properties, body));
            }
            if (envelope.getDeliveryTag() % ACK_EVERY == 0) {
                getChannel().basicAck(envelope.getDeliveryTag(), true);
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            resubscribeSoon("the broker cancelled the subscription");
        }
    }
}
