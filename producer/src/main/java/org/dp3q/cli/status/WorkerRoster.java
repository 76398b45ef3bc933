package org.dp3q.cli.status;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dp3q.broker.stream.CaughtUpRead;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.workers.WorkerAnnouncement;

/**
 * The workers heard from recently, each by its latest announcement. Whether a worker is alive is judged on the
 * broker's time, never on the worker's own clock: a worker with an announcement among those the broker stored in
 * the last three of its intervals is alive; one without is reported gone (it died or lost the broker, and what it
 * ran is being handed out again). A live worker whose own clock differs from this host's by more than a minute is
 * flagged with the difference.
 */
public final class WorkerRoster {
    private static final Duration LOOK_BACK = Duration.ofMinutes(10);
    private static final int SILENT_INTERVALS = 3;
    private static final Duration SKEW_SHOWN = Duration.ofMinutes(1);

    /**
     * A worker as status shows it.
     *
     * @param silentForS seconds since its last announcement, as near as can be told without trusting its clock
     * @param skewS      how far its clock is ahead of this host's (negative: behind), when more than a minute; else null
     */
    public record Seen(WorkerAnnouncement last, String state, long silentForS, Long skewS) {
    }

    private WorkerRoster() {
    }

    public static List<Seen> read(Connection connection, Instant now) throws IOException, InterruptedException {
        Map<String, WorkerAnnouncement> latest = announcements(connection, now.minus(LOOK_BACK));
        int longestInterval = latest.values().stream().mapToInt(WorkerAnnouncement::intervalS).max().orElse(1);
        Duration recentWindow = Duration.ofSeconds((long) SILENT_INTERVALS * Math.max(1, longestInterval));
        Set<String> recent = latest.isEmpty() ? Set.of()
                : new HashSet<>(announcements(connection, now.minus(recentWindow)).keySet());
        return latest.values().stream().map(a -> seen(a, recent.contains(a.key()), recentWindow, now)).toList();
    }

    /** The latest announcement of each worker among those the broker stored since {@code from} (its time). */
    private static Map<String, WorkerAnnouncement> announcements(Connection connection, Instant from)
            throws IOException, InterruptedException {
        Map<String, WorkerAnnouncement> latest = new LinkedHashMap<>();
        CaughtUpRead.read(connection, Topology.WORKERS_STREAM, Date.from(from), record -> {
            WorkerAnnouncement announcement = Json.read(record.body(), WorkerAnnouncement.class);
            if (announcement.schema() != null && !WorkerAnnouncement.SCHEMA.equals(announcement.schema())) {
                return; // an allocator's record (dp3q allocate), read by AllocationRoster
            }
            if (announcement.host() == null || announcement.time() == null || announcement.busy() == null) {
                throw new IllegalArgumentException("not a worker announcement: it lacks host, time or busy");
            }
            Instant.parse(announcement.time());
            announcement.busy().forEach(slot -> Instant.parse(slot.since()));
            synchronized (latest) {
                latest.put(announcement.key(), announcement);
            }
        });
        synchronized (latest) {
            return new LinkedHashMap<>(latest);
        }
    }

    /**
     * A worker followed live (the dashboard), judged at {@code now} by its own latest announcement: heard recently
     * when that announcement is younger than three of its intervals by its own clock.
     */
    public static Seen seen(WorkerAnnouncement a, Instant now) {
        Duration window = Duration.ofSeconds((long) SILENT_INTERVALS * Math.max(1, a.intervalS()));
        boolean recent = Duration.between(Instant.parse(a.time()), now).compareTo(window) <= 0;
        return seen(a, recent, window, now);
    }

    static Seen seen(WorkerAnnouncement a, boolean heardRecently, Duration recentWindow, Instant now) {
        Duration byItsClock = Duration.between(Instant.parse(a.time()), now);
        if (!heardRecently) {
            String state = "stopped".equals(a.state()) ? a.state() : "gone";
            return new Seen(a, state, Math.max(recentWindow.toSeconds(), byItsClock.toSeconds()), null);
        }
        // heard within the window: a gap bigger than the window (plus a margin) is the clocks disagreeing
        boolean skewed = byItsClock.abs().compareTo(recentWindow.plus(SKEW_SHOWN)) > 0;
        long silent = skewed ? 0 : Math.min(recentWindow.toSeconds(), Math.max(0, byItsClock.toSeconds()));
        return new Seen(a, a.state(), silent, skewed ? -byItsClock.toSeconds() : null);
    }
}
