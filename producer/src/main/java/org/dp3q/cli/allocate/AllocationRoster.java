package org.dp3q.cli.allocate;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dp3q.broker.stream.StreamSnapshot;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;

/**
 * The allocations heard from in the last ten minutes, each by its latest announcement on {@code dp3q.workers}. One
 * silent for three of its intervals is {@code gone}: its allocator died (its jobs may still run).
 */
public final class AllocationRoster {
    private static final Duration LOOK_BACK = Duration.ofMinutes(10);
    private static final long CATCH_UP_S = 60;
    private static final int SILENT_INTERVALS = 3;

    /** An allocation as status shows it. */
    public record Seen(AllocationAnnouncement last, String state, long silentForS) {
    }

    private AllocationRoster() {
    }

    public static List<Seen> read(Connection connection, Instant now) throws IOException, InterruptedException {
        Map<String, AllocationAnnouncement> latest = new TreeMap<>();
        StreamSnapshot.read(connection, Topology.WORKERS_STREAM, Date.from(now.minus(LOOK_BACK)), CATCH_UP_S, record -> {
            if (!AllocationAnnouncement.TYPE.equals(record.properties().getType())) {
                return;
            }
            try {
                AllocationAnnouncement announcement = Json.read(record.body(), AllocationAnnouncement.class);
                synchronized (latest) {
                    latest.put(announcement.name(), announcement);
                }
            } catch (RuntimeException malformed) {
                // not an announcement status can show; the next one will do
            }
        });
        synchronized (latest) {
            return latest.values().stream().map(a -> seen(a, now)).toList();
        }
    }

    private static Seen seen(AllocationAnnouncement a, Instant now) {
        long silent = Duration.between(Instant.parse(a.time()), now).toSeconds();
        String state = !"stopped".equals(a.state()) && silent > (long) SILENT_INTERVALS * a.intervalS() ? "gone" : a.state();
        return new Seen(a, state, silent);
    }
}
