package org.dp3q.cli.wait;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;
import org.dp3q.broker.connect.BrokerSettings;
import org.dp3q.broker.stream.CatchUpMarker;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.BatchProgress;
import java.util.Optional;
import org.dp3q.batch.BatchEvents;
import org.dp3q.batch.BatchIndex;
import org.dp3q.batch.BatchStart;

/**
 * Follows one batch on the event stream from where the batch index says it begins (or, while the batch is not
 * known, from now on, looking it up again every few seconds), and rides through broker restarts: the client
 * reconnects and subscribes again from that same offset, and the fold starts over. The state only counts once the reader
 * has caught up with the stream (its own marker read back): a batch that ended with failures an hour ago
 * and was replayed since must not look finished halfway through reading its history. Gives up only when
 * the broker stays away longer than {@code --broker-timeout}.
 */
public final class BatchWatcher implements AutoCloseable {
    private static final Duration QUIET = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final String batch;
    private final Integer expected;
    private final Connection connection;
    private final Object lock = new Object();
    private static final Duration LOOK_UP_EVERY = Duration.ofSeconds(2);

    private volatile StreamReader reader;
    private volatile boolean indexed;
    private volatile boolean eventSeen;
    private long lastLookUpNanos = System.nanoTime();
    private BatchProgress progress;
    /** Changes applied so far (events that moved the progress, the marker read back), under the lock. */
    private long changes;
    private CatchUpMarker marker;
    private CatchUpMarker probe;
    private long probeSentNanos;
    private volatile long lastRecordNanos = System.nanoTime();
    private volatile Instant brokerLostAt;

    /**
     * Follows {@code batch} from {@code known}, where it begins, when the caller knows that already (a submit that
     * has just opened the batch); else from where the index says it begins.
     */
    public BatchWatcher(Connection connection, String batch, Integer expected, Optional<BatchStart> known)
            throws IOException, InterruptedException {
        this.batch = batch;
        this.expected = expected;
        this.connection = connection;
        this.progress = new BatchProgress(batch, expected);
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                brokerLostAt = Instant.now();
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    startOver();
                }

                @Override
                public void handleRecovery(Recoverable recovered) {
                    brokerLostAt = null;
                }
            });
        }
        Optional<BatchStart> start = known.isPresent() ? known : BatchIndex.find(connection, batch);
        this.indexed = start.isPresent();
        this.reader = follow(start.map(BatchStart::subscribeFrom).orElse("next"));
    }

    private StreamReader follow(Object from) throws IOException {
        return BatchEvents.follow(connection, batch, from, event -> {
            lastRecordNanos = System.nanoTime();
            eventSeen = true;
            synchronized (lock) {
                if (progress.apply(event)) {
                    changed();
                }
            }
        }, accepted -> {
            synchronized (lock) {
                progress.accept(accepted);
            }
        }, record -> {
            lastRecordNanos = System.nanoTime();
            synchronized (lock) {
                if (marker != null && marker.offer(record)) {
                    changed();
                }
                if (probe != null) {
                    probe.offer(record);
                }
            }
        });
    }

    /** True once anything of the batch is known: an index record or an event of it. */
    public boolean isKnown() {
        return indexed || eventSeen;
    }

    /**
     * While the batch is not in the index, looks it up again every few seconds; once it is there (a submit or a
     * worker recorded it), reads it from where it begins instead of from the moment this wait started.
     */
    public void lookUpWhileUnknown() throws IOException, InterruptedException {
        long now = System.nanoTime();
        if (indexed || now - lastLookUpNanos < LOOK_UP_EVERY.toNanos() || !connection.isOpen()) {
            return;
        }
        lastLookUpNanos = now;
        Optional<BatchStart> start = BatchIndex.find(connection, batch);
        if (start.isPresent()) {
            indexed = true;
            reader.close();
            startOver();
            reader = follow(start.get().subscribeFrom());
        }
    }

    private void startOver() {
        synchronized (lock) {
            progress = new BatchProgress(batch, expected);
            marker = null;
            probe = null;
        }
    }

    /**
     * Makes sure a quiet reader is really still subscribed. After a broker restart a stream subscription can
     * stay silent although records were appended; when nothing arrived for a while a probe marker is
     * appended (which also wakes such a subscription), and when even the probe does not come back the
     * stream is read again from the start.
     */
    public void checkLiveness() throws IOException {
        long now = System.nanoTime();
        if (now - lastRecordNanos < QUIET.toNanos() || !connection.isOpen()) {
            return;
        }
        CatchUpMarker pending;
        synchronized (lock) {
            if (probe != null && probe.isSeen()) {
                probe = null;
                return;
            }
            if (probe != null && now - probeSentNanos < PROBE_TIMEOUT.toNanos()) {
                return;
            }
            if (probe == null) {
                pending = new CatchUpMarker();
                probe = pending;
                probeSentNanos = now;
            } else {
                pending = null;
            }
        }
        if (pending != null) {
            pending.appendTo(connection, Topology.EVENTS_STREAM);
            return;
        }
        startOver();
        reader.restart();
    }

    /** Appends a catch-up marker when none is pending (at start and after a reconnect). */
    public void ensureMarker() throws IOException {
        CatchUpMarker pending;
        synchronized (lock) {
            if (marker != null || !connection.isOpen()) {
                return;
            }
            pending = new CatchUpMarker();
            marker = pending;
        }
        try {
            pending.appendTo(connection, Topology.EVENTS_STREAM);
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                if (marker == pending) {
                    marker = null;
                }
            }
            throw e;
        }
    }

    /** True once the reader has read everything that was in the stream when it (re)subscribed. */
    public boolean caughtUp() {
        synchronized (lock) {
            return marker != null && marker.isSeen();
        }
    }

    /** Runs {@code view} on the progress under the lock, so it sees one consistent state. */
    public <T> T read(Function<BatchProgress, T> view) {
        synchronized (lock) {
            return view.apply(progress);
        }
    }

    public void inspect(Consumer<BatchProgress> view) {
        synchronized (lock) {
            view.accept(progress);
        }
    }

    /** Under the lock: one more change, and whoever waits for one is woken. */
    private void changed() {
        changes++;
        lock.notifyAll();
    }

    /** How many changes have been applied: read before looking at the progress, then handed to {@link #awaitChange}. */
    public long changes() {
        synchronized (lock) {
            return changes;
        }
    }

    /**
     * Waits up to {@code max} for a change after the first {@code seen}: returns at once when one was applied since,
     * e.g. while the caller was looking at the progress (a wait that slept through it returned half a second late).
     */
    public void awaitChange(long seen, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            for (long left = max.toNanos(); changes == seen && left > 0; left = end - System.nanoTime()) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** True when the broker has been unreachable for longer than the settings allow. */
    public boolean brokerGoneFor(BrokerSettings settings) {
        Instant lost = brokerLostAt;
        return lost != null && Duration.between(lost, Instant.now()).compareTo(settings.brokerTimeout()) > 0;
    }

    public String batch() {
        return batch;
    }

    @Override
    public void close() {
        reader.close();
    }
}
