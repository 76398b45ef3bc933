package org.dp3q.cli.submit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dp3q.cli.submit.TaskBatch.NumberedTask;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.TaskView;
import org.dp3q.task.TaskDigest;

/**
 * What {@code submit} does with each input task, given what the event stream says of its batch: a task that is not
 * live (never seen, or ended) is published; a live one (queued or running) with the same digest is left alone; a
 * live one that differs is a conflict, which only {@code --replace} resolves. Never a second live copy.
 *
 * @param publish   the tasks to publish (with {@code --replace}: the conflicting ones too)
 * @param leftAlone live tasks identical to the input, not published again
 * @param conflicts live tasks whose digest differs from the input's (or is not known)
 */
record SubmitPlan(List<NumberedTask> publish, List<NumberedTask> leftAlone, List<NumberedTask> conflicts) {

    static SubmitPlan of(List<NumberedTask> input, Map<String, Optional<BatchProgress>> batches) {
        List<NumberedTask> publish = new ArrayList<>();
        List<NumberedTask> leftAlone = new ArrayList<>();
        List<NumberedTask> conflicts = new ArrayList<>();
        for (NumberedTask task : input) {
            TaskView known = batches.get(task.batch()).flatMap(p -> p.task(task.id())).orElse(null);
            if (known == null || !known.isLive()) {
                publish.add(task);
            } else if (TaskDigest.of(task.task()).equals(known.digest())) {
                leftAlone.add(task);
            } else {
                conflicts.add(task);
            }
        }
        return new SubmitPlan(publish, leftAlone, conflicts);
    }

    /** With {@code --replace}: the conflicting tasks are published too, after their live copies are cancelled. */
    List<NumberedTask> publishReplacing() {
        List<NumberedTask> all = new ArrayList<>(publish);
        all.addAll(conflicts);
        return all;
    }
}
