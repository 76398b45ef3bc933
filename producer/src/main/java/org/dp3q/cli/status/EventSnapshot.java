package org.dp3q.cli.status;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.dp3q.event.BatchProgress;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.stream.CatchUpMarker;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.EventStreamReader;

/** Every batch's state as of now, read from the start of the event stream up to a catch-up marker of its own. */
final class EventSnapshot {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private EventSnapshot() {
    }

    static Map<String, BatchProgress> read(Connection connection, String onlyBatch) throws IOException, InterruptedException {
        Map<String, BatchProgress> batches = new TreeMap<>();
        CatchUpMarker marker = CatchUpMarker.append(connection, Topology.EVENTS_STREAM);
        try (StreamReader reader = EventStreamReader.start(connection, event -> {
            if (event.batch() == null || (onlyBatch != null && !onlyBatch.equals(event.batch()))) {
                return;
            }
            synchronized (batches) {
                batches.computeIfAbsent(event.batch(), b -> new BatchProgress(b, null)).apply(event);
            }
        }, marker::offer)) {
            if (!marker.await(CATCH_UP.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("could not read " + Topology.EVENTS_STREAM + " to its end within " + CATCH_UP.toSeconds() + " s");
            }
        }
        synchronized (batches) {
            return new TreeMap<>(batches);
        }
    }
}
