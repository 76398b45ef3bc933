package org.dp3q.cli.dashboard.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.dp3q.cli.status.WorkerRoster;
import org.dp3q.workers.WorkerAnnouncement;
import org.dp3q.workers.WorkerAnnouncement.SlotActivity;
import org.junit.jupiter.api.Test;

class WorkerRowTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static WorkerAnnouncement announced(int secondsAgo, String logsUrl) {
        return new WorkerAnnouncement(WorkerAnnouncement.SCHEMA, "node1", 42, "w1", "default", 4, "running",
                NOW.minusSeconds(secondsAgo).toString(), 10,
                List.of(new SlotActivity(1, "b/3", "b", 3, 1, NOW.minusSeconds(30).toString(), 12_000, 204_800)),
                logsUrl, "/scratch/logs", null, null);
    }

    @Test
    void a_live_worker_shows_busy_and_idle_slots_and_what_each_busy_slot_runs() {
        WorkerRow row = WorkerRow.of(WorkerRoster.seen(announced(2, "http://node1:9100/logs/"), NOW));
        assertEquals("running", row.state());
        assertEquals(1, row.busy());
        assertEquals(3, row.idle());
        assertEquals("b/3", row.running().get(0).taskId());
        assertEquals(204_800, row.running().get(0).rssKb());
        assertTrue(row.servesLogs());
    }

    @Test
    void a_silent_worker_is_gone_and_shows_nothing_running() {
        WorkerRow row = WorkerRow.of(WorkerRoster.seen(announced(60, null), NOW));
        assertEquals("gone", row.state());
        assertEquals(0, row.busy());
        assertEquals(0, row.idle());
        assertFalse(row.servesLogs());
    }
}
