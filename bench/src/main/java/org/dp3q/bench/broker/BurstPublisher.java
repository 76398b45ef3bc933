package org.dp3q.bench.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dp3q.bench.broker.TaskMessages.Message;
import org.dp3q.bench.standin.StandinRuns;

/**
 * A plain amqp-client publisher with publisher confirms and {@code mandatory}, keeping up to {@code window}
 * messages unconfirmed (the way RabbitMQ's PerfTest does): the confirmed-publish ceiling of this machine, and
 * the harness's way to put a batch on the queue with the first publish time known to the nanosecond.
 */
public final class BurstPublisher {
    private BurstPublisher() {
    }

    /** When the first message went out (epoch ns and monotonic ns) and when the last was confirmed. */
    public record Timing(long firstPublishEpochNs, long firstPublishNanos, long lastConfirmNanos, int messages) {
        public double seconds() {
            return (lastConfirmNanos - firstPublishNanos) / 1e9;
        }

        public double perSecond() {
            return messages / seconds();
        }
    }

    /** Publishes every message on a new channel and returns once all are confirmed; fails on any nack or return. */
    public static Timing publish(Connection connection, List<Message> messages, int window)
            throws IOException, InterruptedException {
        Channel channel = connection.createChannel();
        try {
            channel.confirmSelect();
            Semaphore permits = new Semaphore(window);
            NavigableSet<Long> outstanding = new ConcurrentSkipListSet<>();
            AtomicInteger nacked = new AtomicInteger();
            AtomicInteger returned = new AtomicInteger();
            channel.addConfirmListener((seq, multiple) -> permits.release(settle(outstanding, seq, multiple)),
                    (seq, multiple) -> {
                        int n = settle(outstanding, seq, multiple);
                        nacked.addAndGet(n);
                        permits.release(n);
                    });
            channel.addReturnListener(r -> returned.incrementAndGet());
            Instant first = Instant.now();
            long firstNanos = System.nanoTime();
            for (Message m : messages) {
                permits.acquire();
                outstanding.add(channel.getNextPublishSeqNo());
                channel.basicPublish(m.exchange(), m.routingKey(), true, m.properties(), m.body());
            }
            if (!permits.tryAcquire(window, 120, TimeUnit.SECONDS)) {
                throw new IOException(outstanding.size() + " message(s) still unconfirmed after 120 s");
            }
            long lastNanos = System.nanoTime();
            if (nacked.get() > 0 || returned.get() > 0) {
                throw new IOException(nacked.get() + " message(s) nacked and " + returned.get() + " returned by the broker");
            }
            return new Timing(StandinRuns.epochNs(first), firstNanos, lastNanos,
                    messages.size());
        } finally {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (Exception ignored) {
                // the measurement is taken; a close failure changes nothing
            }
        }
    }

    private static int settle(NavigableSet<Long> outstanding, long seq, boolean multiple) {
        if (!multiple) {
            return outstanding.remove(seq) ? 1 : 0;
        }
        NavigableSet<Long> settled = outstanding.headSet(seq, true);
        int n = 0;
        while (settled.pollFirst() != null) {
            n++;
        }
        return n;
    }
}
