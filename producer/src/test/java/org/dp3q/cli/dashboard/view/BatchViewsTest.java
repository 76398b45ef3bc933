package org.dp3q.cli.dashboard.view;

import static org.dp3q.cli.dashboard.view.Events.T0;
import static org.dp3q.cli.dashboard.view.Events.ended;
import static org.dp3q.cli.dashboard.view.Events.started;
import static org.dp3q.cli.dashboard.view.Events.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dp3q.cli.dashboard.data.BatchSnapshot;
import org.dp3q.cli.dashboard.data.LiveBatch;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.junit.jupiter.api.Test;

class BatchViewsTest {

    private static BatchSnapshot fold(int nowS, Event... events) {
        LiveBatch batch = new LiveBatch("b");
        for (Event e : events) {
            batch.apply(e);
        }
        return batch.snapshot(T0.plusSeconds(nowS));
    }

    @Test
    void the_progress_bar_counts_done_failed_running_and_queued_of_the_announced_total() {
        BatchSnapshot b = fold(20, submitted(0, 5), submitted(1, 5), submitted(2, 5),
                started(0, 1, "w1", 0, 1), ended(EventType.SUCCEEDED, 0, 1, "w1", 0, 2),
                started(1, 1, "w1", 1, 1), ended(EventType.FAILED, 1, 1, "w1", 1, 3),
                started(2, 1, "w2", 0, 4));
        BatchRow row = BatchRow.of(b);
        assertEquals(5, row.total());
        assertEquals(1, row.done());
        assertEquals(1, row.failed());
        assertEquals(1, row.running());
        assertEquals(2, row.queued(), "two tasks not even heard of yet count as queued");
        assertEquals("running", row.state());
        assertTrue(row.etaS() != null && row.etaS() > 0);
        assertTrue(row.ratePerMin() > 0);
    }

    @Test
    void a_batch_that_ended_with_a_failure_has_no_eta_and_says_failed() {
        BatchRow row = BatchRow.of(fold(10, submitted(0, 1), started(0, 1, "w1", 0, 1),
                ended(EventType.FAILED, 0, 1, "w1", 0, 2)));
        assertEquals("failed", row.state());
        assertNull(row.etaS());
        assertEquals(0, row.queued());
    }

    @Test
    void a_batch_nothing_started_of_is_queued() {
        assertEquals("queued", BatchRow.of(fold(1, submitted(0, 2), submitted(1, 2))).state());
    }

    @Test
    void chunk_cells_are_in_chunk_order_with_their_latest_attempt() {
        BatchSnapshot b = fold(20, submitted(10, 11), submitted(2, 11), started(2, 1, "w1", 0, 1),
                ended(EventType.FAILED, 2, 1, "w1", 0, 3), started(10, 1, "w2", 1, 2));
        List<ChunkCell> cells = ChunkCell.of(b);
        assertEquals(List.of(2, 10), cells.stream().map(ChunkCell::chunk).toList());
        ChunkCell failed = cells.get(0);
        assertEquals("failed", failed.state());
        assertEquals("w1", failed.worker());
        assertEquals(0, failed.slot());
        assertEquals(2, failed.exitCode());
        assertEquals("exit", failed.reason());
        assertEquals(900L, failed.cpuMs());
        assertEquals(2048L, failed.maxRssKb());
        assertTrue(failed.hasLog());
        assertEquals("running", cells.get(1).state());
        assertNull(cells.get(1).durationMs());
    }

    @Test
    void a_queued_chunk_has_no_attempt_details() {
        ChunkCell cell = ChunkCell.of(fold(1, submitted(0, 1))).get(0);
        assertEquals("submitted", cell.state());
        assertNull(cell.worker());
        assertFalse(cell.hasLog());
    }

    @Test
    void the_task_stream_has_one_lane_per_slot_with_one_bar_per_attempt_in_time_order() {
        BatchSnapshot b = fold(20, started(1, 1, "w1", 0, 5), ended(EventType.FAILED, 1, 1, "w1", 0, 6),
                started(0, 1, "w1", 0, 1), ended(EventType.SUCCEEDED, 0, 1, "w1", 0, 4),
                started(2, 1, "w2", 0, 2));
        List<SlotLane> lanes = SlotLane.of(b);
        assertEquals(2, lanes.size());
        assertEquals("w1", lanes.get(0).worker());
        assertEquals(List.of("succeeded", "failed"), lanes.get(0).bars().stream().map(SlotLane.Bar::outcome).toList());
        assertEquals(List.of("b/0", "b/1"), lanes.get(0).bars().stream().map(SlotLane.Bar::taskId).toList());
        SlotLane.Bar running = lanes.get(1).bars().get(0);
        assertEquals("running", running.outcome());
        assertNull(running.end());
    }

    @Test
    void an_outcome_read_before_its_start_event_still_makes_one_finished_bar() {
        BatchSnapshot b = fold(20, ended(EventType.SUCCEEDED, 0, 1, "w1", 0, 4), started(0, 1, "w1", 0, 1));
        List<SlotLane.Bar> bars = SlotLane.of(b).get(0).bars();
        assertEquals(1, bars.size());
        assertEquals("succeeded", bars.get(0).outcome());
        assertEquals(T0.plusSeconds(1).toString(), bars.get(0).start());
    }

    @Test
    void the_output_tail_of_an_attempt_that_did_not_fail_is_not_kept() {
        Event succeeded = ended(EventType.SUCCEEDED, 0, 1, "w1", 0, 2);
        Event withTail = new Event(succeeded.schema(), succeeded.event(), succeeded.taskId(), succeeded.batch(),
                succeeded.chunk(), succeeded.chunks(), succeeded.pool(), succeeded.attempt(), succeeded.time(),
                succeeded.worker(), 0, null, 1000L, 900L, 2048L, succeeded.log(), "4 KiB of DP3 output", null, null, null, null, null);
        BatchSnapshot b = fold(5, submitted(0, 2), started(0, 1, "w1", 0, 1), withTail,
                started(1, 1, "w1", 0, 3), ended(EventType.FAILED, 1, 1, "w1", 0, 4));
        assertNull(b.tasks().get(0).last().stderrTail());
        assertNull(b.attempts().get("b/0").get(0).stderrTail());
        assertEquals("cannot open sky.skymodel", b.tasks().get(1).last().stderrTail());
    }

    @Test
    void failed_rows_carry_reason_exit_code_and_output_tail_most_recent_first() {
        BatchSnapshot b = fold(20, started(0, 1, "w1", 0, 1), ended(EventType.FAILED, 0, 1, "w1", 0, 2),
                started(1, 1, "w1", 0, 3), ended(EventType.FAILED, 1, 1, "w1", 0, 9),
                started(2, 1, "w1", 0, 3), ended(EventType.SUCCEEDED, 2, 1, "w1", 0, 4));
        List<FailedRow> rows = FailedRow.of(List.of(b), 10);
        assertEquals(List.of("b/1", "b/0"), rows.stream().map(FailedRow::taskId).toList());
        assertEquals("exit", rows.get(0).reason());
        assertEquals(2, rows.get(0).exitCode());
        assertEquals("cannot open sky.skymodel", rows.get(0).stderrTail());
        assertEquals(1, FailedRow.of(List.of(b), 1).size());
    }
}
