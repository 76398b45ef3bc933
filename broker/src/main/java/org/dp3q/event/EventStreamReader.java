package org.dp3q.event;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the event stream from its first record without taking anything away from other readers, and keeps
 * reading through reconnects and broker restarts: it subscribes again by itself, from the offset after the
 * last event it saw, so no event is lost and none is seen twice. (The client's own consumer recovery would
 * start over from the first record, and gives up when the stream is not ready yet after a restart.)
 */
public final class EventStreamReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);
    private static final int PREFETCH = 1000;
    private static final int ACK_EVERY = 200;
    private static final long RESUBSCRIBE_DELAY_MS = 1000;
    private static final String OFFSET = "x-stream-offset";

    private final Connection connection;
    private final Consumer<Event> sink;
    private final ScheduledExecutorService resubscriber = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "event-stream-resubscribe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Channel channel;
    private volatile long nextOffset = -1;
    private volatile long lastDeliveryNanos = System.nanoTime();
    private volatile boolean closed;

    private EventStreamReader(Connection connection, Consumer<Event> sink) {
        this.connection = connection;
        this.sink = sink;
    }

    /** Starts delivering every event to {@code sink}, in stream order, on the client's consumer thread. */
    public static EventStreamReader start(Connection connection, Consumer<Event> sink) throws IOException {
        EventStreamReader reader = new EventStreamReader(connection, sink);
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
        // switch first: from here on the old channel's deliveries are ignored and nextOffset stays put until
        // the new subscription delivers, which may happen before basicConsume even returns
        Channel old = channel;
        channel = opened;
        abort(old);
        Object from = nextOffset < 0 ? "first" : (Object) nextOffset;
        opened.basicConsume(Topology.EVENTS_STREAM, false, Map.of(OFFSET, from), new Delivery(opened));
    }

    private void onChannelShutdown(ShutdownSignalException cause) {
        // a lost connection is resubscribed once it is recovered; a channel-level close needs it now
        if (!closed && !cause.isInitiatedByApplication() && !cause.isHardError()) {
            resubscribeSoon("the channel closed: " + cause.getMessage());
        }
    }

    private void resubscribeSoon(String why) {
        if (closed) {
            return;
        }
        LOG.debug("reading the event stream again from offset {}: {}", nextOffset, why);
        resubscriber.schedule(() -> {
            try {
                subscribe();
            } catch (IOException | RuntimeException e) {
                if (connection.isOpen()) {
                    resubscribeSoon("the stream is not readable yet (" + e.getMessage() + ")");
                }
            }
        }, RESUBSCRIBE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** Nanoseconds since the last event arrived, to tell when a reader has caught up with the stream. */
    public long nanosSinceLastEvent() {
        return System.nanoTime() - lastDeliveryNanos;
    }

    @Override
    public void close() {
        closed = true;
        resubscriber.shutdownNow();
        Channel open = channel;
        try {
            if (open != null && open.isOpen()) {
                open.close();
            }
        } catch (Exception e) {
            LOG.debug("closing the event reader's channel: {}", e.toString());
        }
    }

    private static void abort(Channel channel) {
        try {
            if (channel != null && channel.isOpen()) {
                channel.abort();
            }
        } catch (Exception e) {
            LOG.debug("dropping the event reader's old channel: {}", e.toString());
        }
    }

    private final class Delivery extends DefaultConsumer {
        Delivery(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            lastDeliveryNanos = System.nanoTime();
            if (envelope.getDeliveryTag() % ACK_EVERY == 0) {
                getChannel().basicAck(envelope.getDeliveryTag(), true);
            }
            if (getChannel() != channel) {
                return; // a channel being replaced
            }
            Object offsetHeader = properties.getHeaders() == null ? null : properties.getHeaders().get(OFFSET);
            if (offsetHeader instanceof Number offset) {
                // a stream resumed from an offset may start delivering a little before it
                if (offset.longValue() < nextOffset) {
                    return;
                }
                nextOffset = offset.longValue() + 1;
            }
            Event event = null;
            try {
                event = Json.read(body, Event.class);
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable event record: {}", e.getMessage());
            }
            if (event != null) {
                sink.accept(event);
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            resubscribeSoon("the broker cancelled the subscription");
        }
    }
}
