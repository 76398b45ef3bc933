package org.dp3q.bench.broker;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dp3q.bench.standin.StandinRuns;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.event.Event;
import org.dp3q.event.EventStreamReader;
import org.dp3q.event.EventType;

/**
 * Reads the event stream as {@code dp3q wait} does and notes when each event arrived: counts per batch and type,
 * and the events of the batches it is told to keep.
 */
public final class EventTap implements AutoCloseable {
    /** An event and the moment (epoch ns) the harness received it. */
    public record Seen(Event event, long arrivalEpochNs) {
    }

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, List<Seen>> kept = new ConcurrentHashMap<>();
    private final Object arrived = new Object();
    private StreamReader reader;

    private EventTap() {
    }

    public static EventTap start(Connection connection) throws IOException {
        EventTap tap = new EventTap();
        tap.reader = EventStreamReader.start(connection, tap::accept, marker -> { });
        return tap;
    }

    /** From now on, keep every event of {@code batch} (not only count it). */
    public void keep(String batch) {
        kept.putIfAbsent(batch, new ArrayList<>());
    }

    private void accept(Event event) {
        Instant now = Instant.now();
        List<Seen> list = kept.get(event.batch());
        if (list != null) {
            synchronized (list) {
                list.add(new Seen(event, StandinRuns.epochNs(now)));
            }
        }
        counts.computeIfAbsent(key(event.batch(), event.event()), k -> new AtomicInteger()).incrementAndGet();
        synchronized (arrived) {
            arrived.notifyAll();
        }
    }

    public int count(String batch, EventType type) {
        AtomicInteger n = counts.get(key(batch, type));
        return n == null ? 0 : n.get();
    }

    /** Waits until {@code n} events of {@code type} about {@code batch} arrived; false when the timeout passed first. */
    public boolean await(String batch, EventType type, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrived) {
            while (count(batch, type) < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                arrived.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    public List<Seen> events(String batch) {
        List<Seen> list = kept.getOrDefault(batch, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private static String key(String batch, EventType type) {
        return batch + "\u0000" + type.wire();
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
