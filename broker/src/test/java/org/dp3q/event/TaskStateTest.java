package org.dp3q.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskStateTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void a_task_seen_for_the_first_time_takes_the_state_of_any_event(EventType event) {
        assertEquals(TaskState.reachedBy(event), TaskState.next(null, event));
    }

    @Test
    void a_task_runs_and_succeeds() {
        TaskState state = TaskState.next(null, EventType.SUBMITTED);
        state = TaskState.next(state, EventType.STARTED);
        state = TaskState.next(state, EventType.SUCCEEDED);

        assertEquals(TaskState.SUCCEEDED, state);
    }

    @Test
    void a_retrying_task_can_start_again_and_fail() {
        TaskState state = TaskState.next(TaskState.RUNNING, EventType.RETRYING);
        assertEquals(TaskState.RETRYING, state);
        state = TaskState.next(state, EventType.STARTED);
        assertEquals(TaskState.RUNNING, state);
        assertEquals(TaskState.FAILED, TaskState.next(state, EventType.FAILED));
    }

    @ParameterizedTest
    @EnumSource(value = TaskState.class, names = {"SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED"})
    void terminal_states_ignore_late_run_events(TaskState terminal) {
        for (EventType late : EnumSet.of(EventType.STARTED, EventType.SUCCEEDED, EventType.FAILED, EventType.RETRYING,
                EventType.SKIPPED, EventType.CANCELLED)) {
            assertEquals(terminal, TaskState.next(terminal, late), () -> terminal + " after " + late);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TaskState.class, names = {"SUCCEEDED", "FAILED", "SKIPPED", "CANCELLED"})
    void submitting_a_task_again_reopens_any_terminal_state(TaskState terminal) {
        assertEquals(TaskState.SUBMITTED, TaskState.next(terminal, EventType.SUBMITTED));
    }

    @Test
    void only_a_failed_task_can_be_replayed() {
        assertEquals(TaskState.REPLAYED, TaskState.next(TaskState.FAILED, EventType.REPLAYED));
        for (TaskState other : EnumSet.complementOf(EnumSet.of(TaskState.FAILED))) {
            assertEquals(other, TaskState.next(other, EventType.REPLAYED), () -> "replayed while " + other);
        }
    }

    @Test
    void a_replayed_task_runs_again() {
        TaskState state = TaskState.next(TaskState.REPLAYED, EventType.STARTED);
        assertEquals(TaskState.RUNNING, state);
        assertEquals(TaskState.SUCCEEDED, TaskState.next(state, EventType.SUCCEEDED));
        assertEquals(TaskState.CANCELLED, TaskState.next(TaskState.REPLAYED, EventType.CANCELLED));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void the_same_event_twice_leaves_the_state_of_the_first(EventType event) {
        TaskState once = TaskState.next(null, event);

        assertEquals(once, TaskState.next(once, event));
    }

    @Test
    void a_submitted_event_read_again_does_not_move_a_running_task_back() {
        assertEquals(TaskState.RUNNING, TaskState.next(TaskState.RUNNING, EventType.SUBMITTED));
        assertEquals(TaskState.RETRYING, TaskState.next(TaskState.RETRYING, EventType.SUBMITTED));
    }

    @Test
    void terminal_and_done_states_are_the_documented_ones() {
        Set<TaskState> terminal = EnumSet.noneOf(TaskState.class);
        Set<TaskState> done = EnumSet.noneOf(TaskState.class);
        for (TaskState state : TaskState.values()) {
            if (state.isTerminal()) {
                terminal.add(state);
            }
            if (state.isDone()) {
                done.add(state);
                assertTrue(state.isTerminal(), state + " is done but not terminal");
            }
        }
        assertEquals(EnumSet.of(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.SKIPPED, TaskState.CANCELLED), terminal);
        assertEquals(EnumSet.of(TaskState.SUCCEEDED, TaskState.SKIPPED), done);
        assertFalse(TaskState.REPLAYED.isTerminal());
    }
}
