package org.dp3q.cli.dashboard.data;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.cli.logs.Attempt;
import org.dp3q.cli.logs.AttemptHistory;
import org.dp3q.cli.status.WorkerRoster;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventStreamReader;
import org.dp3q.workers.WorkerAnnouncement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DashboardData} from two live subscriptions: the event stream from its start, folded per batch, and
 * the worker announcements of the last minutes. Memory grows with the tasks the event stream retains, not
 * with the time the dashboard runs: a task read again after a reconnect folds into the same state.
 */
public final class LiveStreams implements DashboardData {
    private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);
    private static final Duration WORKERS_LOOK_BACK = Duration.ofMinutes(10);

    private final Map<String, LiveBatch> batches = new HashMap<>();
    private final Map<String, String> batchOfTask = new HashMap<>();
    private final Map<String, WorkerAnnouncement> workers = new LinkedHashMap<>();
    private StreamReader events;
    private StreamReader announcements;

    public static LiveStreams start(Connection connection) throws IOException {
        LiveStreams data = new LiveStreams();
        data.events = EventStreamReader.start(connection, data::apply, marker -> { });
        data.announcements = StreamReader.since(connection, Topology.WORKERS_STREAM,
                java.util.Date.from(Instant.now().minus(WORKERS_LOOK_BACK)), data::announced);
        return data;
    }

    synchronized void apply(Event event) {
        if (event.batch() == null || event.taskId() == null) {
            return;
        }
        batches.computeIfAbsent(event.batch(), LiveBatch::new).apply(event);
        batchOfTask.putIfAbsent(event.taskId(), event.batch());
    }

    private void announced(StreamReader.Record record) {
        if (record.isMarker()) {
            return;
        }
        try {
            WorkerAnnouncement announcement = Json.read(record.body(), WorkerAnnouncement.class);
            synchronized (this) {
                workers.remove(announcement.key());
                workers.put(announcement.key(), announcement);
            }
        } catch (RuntimeException e) {
            LOG.warn("skipping an unreadable worker announcement: {}", e.getMessage());
        }
    }

    @Override
    public synchronized List<BatchSnapshot> recentBatches(int limit, Instant now) {
        return batches.values().stream().sorted(Comparator.comparing(LiveBatch::lastEvent).reversed()).limit(limit)
                .map(batch -> batch.snapshot(now)).toList();
    }

    @Override
    public synchronized Optional<BatchSnapshot> batch(String name, Instant now) {
        return Optional.ofNullable(batches.get(name)).map(batch -> batch.snapshot(now));
    }

    @Override
    public synchronized List<WorkerRoster.Seen> workers(Instant now) {
        workers.values().removeIf(a -> Instant.parse(a.time()).isBefore(now.minus(WORKERS_LOOK_BACK)));
        return workers.values().stream().map(a -> WorkerRoster.seen(a, now)).toList();
    }

    @Override
    public synchronized Optional<Attempt> attempt(String taskId, Integer number) {
        String batch = batchOfTask.get(taskId);
        AttemptHistory history = batch == null ? null : batches.get(batch).attemptsOf(taskId);
        return history == null ? Optional.empty() : history.find(number);
    }

    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
        if (announcements != null) {
            announcements.close();
        }
    }
}
