package org.dp3q.cli.status;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.stream.CatchUpMarker;
import org.dp3q.broker.stream.StreamReader;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.workers.WorkerAnnouncement;

/**
 * The workers heard from recently, each by its latest announcement. One that has been silent for three of
 * its intervals is reported gone: it died or lost the broker, and what it ran is being handed out again.
 */
public final class WorkerRoster {
    private static final Duration LOOK_BACK = Duration.ofMinutes(10);
    private static final long CATCH_UP_S = 60;
    private static final int SILENT_INTERVALS = 3;

    /** A worker as status shows it. */
    public record Seen(WorkerAnnouncement last, String state, long silentForS) {
    }

    private WorkerRoster() {
    }

    public static List<Seen> read(Connection connection, Instant now) throws IOException, InterruptedException {
        Map<String, WorkerAnnouncement> latest = new LinkedHashMap<>();
        CatchUpMarker marker = CatchUpMarker.append(connection, Topology.WORKERS_STREAM);
        try (StreamReader reader = StreamReader.since(connection, Topology.WORKERS_STREAM,
                Date.from(now.minus(LOOK_BACK)), record -> {
                    if (record.isMarker()) {
                        marker.offer(record);
                        return;
                    }
                    WorkerAnnouncement announcement = Json.read(record.body(), WorkerAnnouncement.class);
                    if (!WorkerAnnouncement.SCHEMA.equals(announcement.schema())) {
                        return; // an allocator's record (dp3q allocate), read by AllocationRoster
                    }
                    synchronized (latest) {
                        latest.put(announcement.key(), announcement);
                    }
                })) {
            if (!marker.await(CATCH_UP_S, TimeUnit.SECONDS)) {
                throw new IOException("could not read " + Topology.WORKERS_STREAM + " to its end within " + CATCH_UP_S + " s");
            }
        }
        synchronized (latest) {
            return latest.values().stream().map(a -> seen(a, now)).toList();
        }
    }

    /** The worker as seen at {@code now}: its announced state, or {@code gone} when it fell silent. */
    public static Seen seen(WorkerAnnouncement a, Instant now) {
        long silent = Duration.between(Instant.parse(a.time()), now).toSeconds();
        String state = !"stopped".equals(a.state()) && silent > (long) SILENT_INTERVALS * a.intervalS() ? "gone" : a.state();
        return new Seen(a, state, silent);
    }
}
