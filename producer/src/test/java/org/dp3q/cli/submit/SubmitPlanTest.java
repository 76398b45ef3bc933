package org.dp3q.cli.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.codec.Json;
import org.dp3q.event.AcceptedRecord;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.task.TaskDigest;
import org.dp3q.task.TaskIdentity;
import org.junit.jupiter.api.Test;

class SubmitPlanTest {
    private static final String BATCH = "cal";

    @Test
    void never_a_second_live_copy_and_ended_tasks_run_again() throws Exception {
        NumberedTask queued = task(0, "a=1");
        NumberedTask running = task(1, "a=1");
        NumberedTask ended = task(2, "a=1");
        NumberedTask changed = task(3, "a=2");
        NumberedTask lostAtExit3 = task(4, "a=1");
        NumberedTask unknown = task(5, "a=1");
        BatchProgress progress = new BatchProgress(BATCH, null);
        for (NumberedTask t : List.of(queued, running, ended, task(3, "a=1"), lostAtExit3)) {
            progress.apply(Event.of(EventType.SUBMITTED, id(t)).digest(TaskDigest.of(t.task())).build());
        }
        progress.accept(AcceptedRecord.of(BATCH, List.of("cal/0", "cal/1", "cal/2", "cal/3")));
        progress.apply(Event.of(EventType.STARTED, id(running)).attempt(1).build());
        progress.apply(Event.of(EventType.STARTED, id(ended)).attempt(1).build());
        progress.apply(Event.of(EventType.SUCCEEDED, id(ended)).attempt(1).build());

        SubmitPlan plan = SubmitPlan.of(List.of(queued, running, ended, changed, lostAtExit3, unknown),
                Map.of(BATCH, Optional.of(progress)));

        assertEquals(List.of("cal/2", "cal/4", "cal/5"), plan.publish().stream().map(NumberedTask::id).toList());
        assertEquals(List.of("cal/0", "cal/1"), plan.leftAlone().stream().map(NumberedTask::id).toList());
        assertEquals(List.of("cal/3"), plan.conflicts().stream().map(NumberedTask::id).toList());
        assertEquals(List.of("cal/2", "cal/4", "cal/5", "cal/3"), plan.publishReplacing().stream().map(NumberedTask::id).toList());
    }

    private static NumberedTask task(int chunk, String arg) throws Exception {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree("{\"schema\":\"dp3q.task/1\",\"id\":\"cal/" + chunk
                + "\",\"batch\":\"cal\",\"chunk\":" + chunk + ",\"args\":[\"" + arg + "\"]}");
        return new NumberedTask(chunk + 1, node);
    }

    private static TaskIdentity id(NumberedTask task) {
        return new TaskIdentity(task.id(), BATCH, task.task().get("chunk").asInt(), null);
    }
}
