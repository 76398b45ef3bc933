package org.dp3q.batch;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.dp3q.broker.stream.CaughtUpRead;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.BatchProgress;

/**
 * The batches with events in a window of the broker's time (from {@code since} ago to now): those active now
 * and those that ended in it. Costs the window's records, not the stream's history; a batch that began before
 * the window is read whole from where the index says it begins, so its counts are complete.
 */
public final class ActiveBatches {
    private ActiveBatches() {
    }

    public static Map<String, BatchProgress> read(Connection connection, Duration since) throws IOException, InterruptedException {
        Date from = Date.from(Instant.now().minus(since));
        Set<String> opened = new HashSet<>();
        CaughtUpRead.read(connection, Topology.BATCHES_STREAM, from, record -> {
            if (IndexRecord.TYPE.equals(record.properties().getType())) {
                opened.add(record.headerText(org.dp3q.event.EventPublisher.BATCH_HEADER));
            }
        });
        Map<String, BatchProgress> batches = new TreeMap<>();
        CaughtUpRead.read(connection, Topology.EVENTS_STREAM, from, BatchEvents.decoding(record -> true, event -> {
            if (event.batch() != null) {
                batches.computeIfAbsent(event.batch(), b -> new BatchProgress(b, null)).apply(event);
            }
        }, accepted -> {
            BatchProgress progress = batches.get(accepted.batch());
            if (progress != null) {
                progress.accept(accepted);
            }
        }, marker -> { }));
        for (String batch : Set.copyOf(batches.keySet())) {
            if (!opened.contains(batch)) {
                Optional<BatchProgress> whole = BatchEvents.read(connection, batch);
                whole.ifPresent(progress -> batches.put(batch, progress));
            }
        }
        return batches;
    }
}
