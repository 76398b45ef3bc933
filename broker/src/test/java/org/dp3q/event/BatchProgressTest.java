package org.dp3q.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dp3q.task.TaskIdentity;
import org.junit.jupiter.api.Test;

class BatchProgressTest {
    private static final String BATCH = "cal";
    private static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");

    private int clock;

    @Test
    void the_size_is_unknown_before_any_event() {
        BatchProgress progress = new BatchProgress(BATCH, null);

        assertNull(progress.total());
        assertFalse(progress.isComplete());
    }

    @Test
    void without_expect_or_chunks_the_size_is_the_number_of_tasks_seen() {
        BatchProgress progress = fold(null,
                event(EventType.SUBMITTED, 0, null),
                event(EventType.SUBMITTED, 1, null),
                event(EventType.STARTED, 1, null));

        assertEquals(2, progress.total());
    }

    @Test
    void the_size_comes_from_the_largest_chunks_any_event_carries() {
        BatchProgress progress = fold(null,
                event(EventType.SUBMITTED, 0, 3),
                event(EventType.SUBMITTED, 1, 5),
                event(EventType.SUBMITTED, 2, 4));

        assertEquals(5, progress.total());
    }

    @Test
    void the_size_comes_from_expect_when_events_do_not_carry_chunks() {
        BatchProgress progress = fold(4, event(EventType.SUBMITTED, 0, null));

        assertEquals(4, progress.total());
    }

    @Test
    void a_batch_is_not_complete_while_tasks_of_its_size_are_missing() {
        BatchProgress progress = fold(null,
                event(EventType.SUCCEEDED, 0, 3),
                event(EventType.SUCCEEDED, 1, 3));

        assertEquals(2, progress.done());
        assertFalse(progress.isComplete());
    }

    @Test
    void a_batch_is_not_complete_while_a_task_runs() {
        BatchProgress progress = fold(null,
                event(EventType.SUCCEEDED, 0, 2),
                event(EventType.STARTED, 1, 2));

        assertFalse(progress.isComplete());
        assertEquals(1, progress.count(TaskState.RUNNING));
    }

    @Test
    void a_batch_whose_tasks_all_succeeded_or_were_skipped_is_successful() {
        BatchProgress progress = fold(null,
                event(EventType.SUBMITTED, 0, 2),
                event(EventType.SUBMITTED, 1, 2),
                event(EventType.STARTED, 0, 2),
                event(EventType.SUCCEEDED, 0, 2),
                event(EventType.SKIPPED, 1, 2));

        assertTrue(progress.isComplete());
        assertTrue(progress.isSuccessful());
        assertFalse(progress.isCancelled());
        assertEquals(2, progress.done());
    }

    @Test
    void a_batch_with_a_failed_task_is_complete_but_not_successful() {
        BatchProgress progress = fold(null,
                event(EventType.SUCCEEDED, 1, 3),
                event(EventType.FAILED, 2, 3),
                event(EventType.FAILED, 0, 3));

        assertTrue(progress.isComplete());
        assertFalse(progress.isSuccessful());
        assertFalse(progress.isCancelled());
        assertEquals(List.of(0, 2), progress.inState(TaskState.FAILED).stream().map(TaskView::chunk).toList());
    }

    @Test
    void a_batch_with_a_cancelled_task_is_complete_and_cancelled() {
        BatchProgress progress = fold(null,
                event(EventType.SUCCEEDED, 0, 2),
                event(EventType.CANCELLED, 1, 2));

        assertTrue(progress.isComplete());
        assertTrue(progress.isCancelled());
        assertFalse(progress.isSuccessful());
    }

    @Test
    void events_of_other_batches_are_ignored() {
        BatchProgress progress = new BatchProgress(BATCH, null);
        Event other = Event.of(EventType.SUCCEEDED, new TaskIdentity("other/0", "other", 0, 1)).time(T0).build();

        assertFalse(progress.apply(other));
        assertNull(progress.total());
    }

    @Test
    void a_started_read_again_after_succeeded_is_ignored() {
        Event started = event(EventType.STARTED, 0, 1);
        BatchProgress progress = fold(null, started, event(EventType.SUCCEEDED, 0, 1));

        assertFalse(progress.apply(started));
        assertEquals(TaskState.SUCCEEDED, stateOf(progress, 0));
        assertTrue(progress.isSuccessful());
    }

    @Test
    void a_second_copy_that_starts_after_the_first_succeeded_keeps_the_batch_open_until_it_ends() {
        BatchProgress progress = fold(null, on("w1", event(EventType.STARTED, 0, 1)), on("w1", event(EventType.SUCCEEDED, 0, 1)));
        assertTrue(progress.isSuccessful());

        assertTrue(progress.apply(on("w2", event(EventType.STARTED, 0, 1))));
        assertFalse(progress.isComplete(), "a run is live");
        assertTrue(progress.tasks().get(0).isLive());

        progress.apply(on("w2", event(EventType.SUCCEEDED, 0, 1)));
        assertTrue(progress.isSuccessful());
    }

    @Test
    void two_copies_running_at_once_keep_the_task_running_until_both_end() {
        BatchProgress progress = fold(null, on("w1", event(EventType.STARTED, 0, 1)), on("w2", event(EventType.STARTED, 0, 1)),
                on("w1", event(EventType.SUCCEEDED, 0, 1)));

        assertEquals(TaskState.RUNNING, stateOf(progress, 0));
        assertFalse(progress.isComplete());

        progress.apply(on("w2", event(EventType.SUCCEEDED, 0, 1)));
        assertTrue(progress.isSuccessful());
    }

    @Test
    void a_run_whose_worker_died_ends_when_the_next_attempt_starts() {
        BatchProgress progress = fold(null, on("w1", started(0, 1, 1)), on("w2", started(0, 1, 2)),
                on("w2", event(EventType.SUCCEEDED, 0, 1)));

        assertTrue(progress.isSuccessful());
    }

    @Test
    void a_run_judged_alone_by_its_claim_ends_every_open_run_of_the_task_whatever_their_attempts() {
        // the held copy (attempt 2) runs after the original, handed out again as attempt 3, died with its worker
        Event heldCopy = Event.of(EventType.STARTED, id(0, 1)).attempt(2).soleRun(true).time(T0.plusSeconds(clock++))
                .build();
        BatchProgress progress = fold(null, on("w1", started(0, 1, 3)), on("w2", heldCopy));
        assertEquals(1, progress.tasks().get(0).openRuns());

        progress.apply(on("w2", Event.of(EventType.SUCCEEDED, id(0, 1)).attempt(2).time(T0.plusSeconds(clock++)).build()));
        assertTrue(progress.isSuccessful());
    }

    @Test
    void a_run_not_judged_alone_leaves_a_later_attempts_run_open() {
        BatchProgress progress = fold(null, on("w1", started(0, 1, 3)), on("w2", started(0, 1, 2)),
                on("w2", Event.of(EventType.SUCCEEDED, id(0, 1)).attempt(2).time(T0.plusSeconds(clock++)).build()));

        assertEquals(TaskState.RUNNING, stateOf(progress, 0));
    }

    @Test
    void the_delivery_limit_ends_every_run() {
        Event limit = Event.of(EventType.FAILED, id(0, 1)).reason(Reason.DELIVERY_LIMIT).time(T0.plusSeconds(clock++)).build();
        BatchProgress progress = fold(null, on("w1", started(0, 1, 5)), on("mover", limit));

        assertTrue(progress.isComplete());
        assertEquals(TaskState.FAILED, stateOf(progress, 0));
    }

    private static Event on(String host, Event event) {
        return new Event(event.schema(), event.event(), event.taskId(), event.batch(), event.chunk(), event.chunks(),
                event.pool(), event.attempt(), event.time(), new WorkerRef(host, 1L, 0, host), event.exitCode(),
                event.signal(), event.durationMs(), event.cpuMs(), event.maxRssKb(), event.log(), event.stderrTail(),
                event.reason(), event.message(), event.labels(), event.digest(), event.soleRun());
    }

    @Test
    void a_redelivered_task_started_again_shows_its_latest_attempt() {
        BatchProgress progress = fold(null, started(0, 1, 1));

        assertTrue(progress.apply(started(0, 1, 2)));

        TaskView view = progress.tasks().get(0);
        assertEquals(TaskState.RUNNING, view.state());
        assertEquals(2, view.started().attempt());
        assertEquals(1, progress.tasks().size());
    }

    @Test
    void a_duplicate_event_changes_nothing() {
        Event failed = event(EventType.FAILED, 0, 1);
        BatchProgress progress = fold(null, event(EventType.STARTED, 0, 1), failed);

        assertFalse(progress.apply(failed));
        assertEquals(TaskState.FAILED, stateOf(progress, 0));
    }

    @Test
    void a_replayed_task_that_then_succeeds_makes_the_batch_successful() {
        BatchProgress progress = fold(null,
                event(EventType.SUBMITTED, 0, 2),
                event(EventType.SUBMITTED, 1, 2),
                event(EventType.SUCCEEDED, 0, 2),
                event(EventType.FAILED, 1, 2));
        assertTrue(progress.isComplete());
        assertFalse(progress.isSuccessful());

        progress.apply(event(EventType.REPLAYED, 1, 2));
        assertFalse(progress.isComplete(), "a replayed task is pending again");
        assertEquals(TaskState.REPLAYED, stateOf(progress, 1));

        progress.apply(started(1, 2, 2));
        progress.apply(event(EventType.SUCCEEDED, 1, 2));
        assertTrue(progress.isSuccessful());
        assertTrue(progress.inState(TaskState.FAILED).isEmpty());
    }

    @Test
    void the_counts_are_those_of_the_tasks_states_after_every_event() {
        List<Event> events = List.of(
                event(EventType.SUBMITTED, 0, 3),
                event(EventType.SUBMITTED, 1, 3),
                on("w1", started(0, 3, 1)),
                on("w2", started(0, 3, 1)),
                on("w1", event(EventType.SUCCEEDED, 0, 3)),
                on("w3", started(1, 3, 1)),
                on("w3", event(EventType.RETRYING, 1, 3)),
                on("w2", event(EventType.SUCCEEDED, 0, 3)),
                event(EventType.SUBMITTED, 2, 3),
                on("w1", started(1, 3, 2)),
                on("w1", event(EventType.FAILED, 1, 3)),
                event(EventType.CANCELLED, 2, 3),
                event(EventType.REPLAYED, 1, 3),
                on("w3", started(1, 3, 1)),
                on("w3", event(EventType.SUCCEEDED, 1, 3)),
                on("w3", event(EventType.SUCCEEDED, 1, 3)));
        BatchProgress progress = new BatchProgress(BATCH, null);
        for (Event event : events) {
            progress.apply(event);

            Map<TaskState, Integer> recounted = new java.util.EnumMap<>(TaskState.class);
            for (TaskState state : TaskState.values()) {
                recounted.put(state, (int) progress.tasks().stream().filter(t -> t.state() == state).count());
            }
            String after = "after " + event.event() + " of chunk " + event.chunk();
            assertEquals(recounted, progress.counts(), after);
            boolean allTerminal = progress.tasks().stream().allMatch(t -> t.state().isTerminal());
            assertEquals(allTerminal && progress.tasks().size() >= progress.total(), progress.isComplete(), after);
            assertEquals(progress.isComplete() && progress.tasks().stream().allMatch(t -> t.state().isDone()),
                    progress.isSuccessful(), after);
            assertEquals(progress.isComplete() && recounted.get(TaskState.CANCELLED) > 0, progress.isCancelled(), after);
        }
        assertTrue(progress.isComplete());
        assertTrue(progress.isCancelled(), "chunk 2 was cancelled");
    }

    @Test
    void reading_the_same_events_twice_gives_the_same_state() {
        List<Event> events = List.of(
                event(EventType.SUBMITTED, 0, 3),
                event(EventType.SUBMITTED, 1, 3),
                event(EventType.SUBMITTED, 2, 3),
                started(0, 3, 1),
                started(1, 3, 1),
                event(EventType.SUCCEEDED, 0, 3),
                event(EventType.FAILED, 1, 3),
                event(EventType.REPLAYED, 1, 3),
                started(1, 3, 1),
                event(EventType.SUCCEEDED, 1, 3),
                event(EventType.SKIPPED, 2, 3));
        BatchProgress once = fold(null, events.toArray(Event[]::new));
        BatchProgress twice = fold(null, events.toArray(Event[]::new));

        events.forEach(twice::apply);

        assertEquals(states(once), states(twice));
        assertEquals(once.total(), twice.total());
        assertEquals(once.isSuccessful(), twice.isSuccessful());
        assertTrue(twice.isSuccessful());
    }

    @Test
    void reading_a_failed_batch_twice_still_shows_it_failed() {
        List<Event> events = List.of(
                event(EventType.SUBMITTED, 0, 2),
                event(EventType.SUBMITTED, 1, 2),
                started(0, 2, 1),
                event(EventType.RETRYING, 0, 2),
                started(0, 2, 2),
                event(EventType.FAILED, 0, 2),
                event(EventType.CANCELLED, 1, 2));
        BatchProgress progress = fold(null, events.toArray(Event[]::new));
        Map<String, TaskState> before = states(progress);

        events.forEach(progress::apply);

        assertEquals(before, states(progress));
        assertEquals(Map.of("cal/0", TaskState.FAILED, "cal/1", TaskState.CANCELLED), before);
        assertTrue(progress.isCancelled());
    }

    @Test
    void the_rate_and_eta_come_from_run_times_not_from_comparing_clocks() {
        BatchProgress progress = new BatchProgress(BATCH, 4);
        // the workers' clocks are days apart: only the durations each measured count
        progress.apply(on("w1", Event.of(EventType.STARTED, id(0, 4)).time(T0).build()));
        progress.apply(on("w1", Event.of(EventType.SUCCEEDED, id(0, 4)).durationMs(10_000).time(T0.plusSeconds(10)).build()));
        progress.apply(on("w2", Event.of(EventType.STARTED, id(1, 4)).time(T0.minus(Duration.ofDays(3))).build()));
        progress.apply(on("w3", Event.of(EventType.STARTED, id(2, 4)).time(T0.plus(Duration.ofDays(3))).build()));

        assertEquals(0.2, progress.rate(T0), 1e-9);
        assertEquals(Duration.ofSeconds(15), progress.eta(T0.plus(Duration.ofDays(9))));
    }

    @Test
    void there_is_no_rate_or_eta_before_anything_started() {
        BatchProgress progress = fold(2, event(EventType.SUBMITTED, 0, null));

        assertEquals(0, progress.rate(T0));
        assertNull(progress.eta(T0));
    }

    // ---- helpers

    private BatchProgress fold(Integer expected, Event... events) {
        BatchProgress progress = new BatchProgress(BATCH, expected);
        for (Event event : events) {
            progress.apply(event);
        }
        return progress;
    }

    private Event event(EventType type, int chunk, Integer chunks) {
        return Event.of(type, id(chunk, chunks)).time(T0.plusSeconds(clock++)).build();
    }

    private Event started(int chunk, Integer chunks, int attempt) {
        return Event.of(EventType.STARTED, id(chunk, chunks)).attempt(attempt).time(T0.plusSeconds(clock++)).build();
    }

    private static TaskIdentity id(int chunk, Integer chunks) {
        return new TaskIdentity(BATCH + "/" + chunk, BATCH, chunk, chunks);
    }

    private static TaskState stateOf(BatchProgress progress, int chunk) {
        return states(progress).get(BATCH + "/" + chunk);
    }

    private static Map<String, TaskState> states(BatchProgress progress) {
        Map<String, TaskState> states = new LinkedHashMap<>();
        progress.tasks().forEach(view -> states.put(view.taskId(), view.state()));
        return states;
    }
}
