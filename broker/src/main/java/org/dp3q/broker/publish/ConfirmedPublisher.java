package org.dp3q.broker.publish;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * Publishes many messages with publisher confirms and {@code mandatory}, keeping a window of them in
 * flight instead of one round trip each, and tells exactly which ones the broker did not accept.
 */
public final class ConfirmedPublisher implements AutoCloseable {
    public static final int DEFAULT_WINDOW = 2000;

    private final Channel channel;
    private final Semaphore window;
    private final ConcurrentNavigableMap<Long, String> outstanding = new ConcurrentSkipListMap<>();
    private final Set<String> rejected = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> unroutable = Collections.synchronizedSet(new LinkedHashSet<>());

    public ConfirmedPublisher(Connection connection, int window) throws IOException {
        this.channel = connection.createChannel();
        this.window = new Semaphore(window);
        channel.confirmSelect();
        channel.addConfirmListener((seq, multiple) -> settle(seq, multiple, false),
                (seq, multiple) -> settle(seq, multiple, true));
        channel.addReturnListener(returned -> unroutable.add(returned.getProperties().getMessageId()));
    }

    public Channel channel() {
        return channel;
    }

    /** Publishes one message; {@code key} (its message id) names it in the result. Blocks while the window is full. */
    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException, InterruptedException {
        window.acquire();
        long seq = channel.getNextPublishSeqNo();
        outstanding.put(seq, properties.getMessageId());
        channel.basicPublish(exchange, routingKey, true, properties, body);
    }

    /** Waits until every message is settled or the timeout passed; then reports what was not accepted. */
    public PublishResult await(Duration timeout) throws InterruptedException {
        try {
            channel.waitForConfirms(timeout.toMillis());
        } catch (TimeoutException | RuntimeException e) {
            // whatever is still outstanding is reported as not confirmed
        }
        List<String> notConfirmed = new ArrayList<>(rejected);
        notConfirmed.addAll(outstanding.values());
        return new PublishResult(List.copyOf(notConfirmed), List.copyOf(unroutable));
    }

    private void settle(long seq, boolean multiple, boolean nacked) {
        ConcurrentNavigableMap<Long, String> settled = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true, seq, true);
        int count = 0;
        for (var entry : settled.entrySet()) {
            if (outstanding.remove(entry.getKey()) != null) {
                if (nacked) {
                    rejected.add(entry.getValue());
                }
                count++;
            }
        }
        window.release(count);
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception ignored) {
            // closing is best effort: what was confirmed is already known
        }
    }
}
