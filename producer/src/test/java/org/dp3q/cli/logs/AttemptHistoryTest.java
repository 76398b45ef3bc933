package org.dp3q.cli.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.TaskIdentity;
import org.junit.jupiter.api.Test;

class AttemptHistoryTest {
    private static final TaskIdentity TASK = new TaskIdentity("b/0", "b", 0, null);

    private static Event event(EventType type, int attempt, String log) {
        return Event.of(type, TASK).attempt(attempt).log(log).worker(new WorkerRef("h", 1L, 0, "w"))
                .time(Instant.parse("2026-12-01T10:00:00Z")).build();
    }

    @Test
    void a_replayed_task_numbers_its_attempts_from_one_again_and_the_latest_of_a_number_wins() {
        AttemptHistory history = new AttemptHistory();
        history.apply(Event.of(EventType.SUBMITTED, TASK).build());
        history.apply(event(EventType.STARTED, 1, "/l/first.log"));
        history.apply(event(EventType.FAILED, 1, "/l/first.log"));
        history.apply(Event.of(EventType.REPLAYED, TASK).build());
        history.apply(event(EventType.STARTED, 1, "/l/second.log"));
        assertEquals(2, history.list().size());
        assertEquals("/l/second.log", history.find(1).orElseThrow().log());
        assertEquals("/l/second.log", history.find(null).orElseThrow().log());
        assertTrue(history.find(2).isEmpty());
        assertEquals(EventType.FAILED, history.list().get(0).outcome());
    }
}
