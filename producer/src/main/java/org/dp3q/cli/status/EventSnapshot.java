package org.dp3q.cli.status;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.dp3q.event.BatchProgress;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.event.EventStreamReader;

/**
 * Every batch's state as of now, read from the start of the event stream. A stream has no end marker over
 * AMQP, so the reader counts as caught up once no record has arrived for {@link #QUIET}.
 */
final class EventSnapshot {
    private static final Duration QUIET = Duration.ofMillis(700);

    private EventSnapshot() {
    }

    static Map<String, BatchProgress> read(Connection connection, String onlyBatch) throws IOException, InterruptedException {
        Map<String, BatchProgress> batches = new TreeMap<>();
        try (StreamReader reader = EventStreamReader.start(connection, event -> {
            if (event.batch() == null || (onlyBatch != null && !onlyBatch.equals(event.batch()))) {
                return;
            }
            synchronized (batches) {
                batches.computeIfAbsent(event.batch(), b -> new BatchProgress(b, null)).apply(event);
            }
        })) {
            reader.awaitQuiet(QUIET.toMillis());
        }
        synchronized (batches) {
            return new TreeMap<>(batches);
        }
    }
}
