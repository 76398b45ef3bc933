package org.dp3q.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The state of one batch, folded from its events. The batch size comes from the largest {@code chunks} any of
 * its events carries, else from {@code --expect}, else from the number of tasks seen.
 */
public final class BatchProgress {
    private final String batch;
    private final Integer expected;
    private final Map<String, TaskView> tasks = new LinkedHashMap<>();
    private final Map<String, TaskRuns> runs = new HashMap<>();
    /**
     * How many tasks are in each state, by {@link TaskState#ordinal}, kept as views change: a barrier asks for the
     * counts after every event, and counting the whole batch each time cost it as much as the batch is large.
     */
    private final int[] inState = new int[TaskState.values().length];
    private Integer chunksFromEvents;
    private long endedMs;
    private int endedAttempts;

    public BatchProgress(String batch, Integer expected) {
        this.batch = batch;
        this.expected = expected;
    }

    public String batch() {
        return batch;
    }

    /**
     * Applies one event; events of other batches are ignored. Returns whether anything changed. The state moves as
     * {@link TaskState} says, except that a run's own start and end always apply (a second copy of a task that
     * starts after the first one ended is running), and a task stays running while any run of it is open.
     */
    public boolean apply(Event event) {
        if (!event.isAbout(batch) || event.event() == null || event.taskId() == null) {
            return false;
        }
        if (event.chunks() != null && (chunksFromEvents == null || event.chunks() > chunksFromEvents)) {
            chunksFromEvents = event.chunks();
        }
        TaskView before = tasks.get(event.taskId());
        TaskState current = before == null ? null : before.state();
        TaskRuns taskRuns = runs.computeIfAbsent(event.taskId(), id -> new TaskRuns());
        TaskState next;
        if (event.event() == EventType.STARTED) {
            if (!taskRuns.start(event)) {
                return false;
            }
            next = TaskState.RUNNING;
        } else {
            boolean ranHere = event.event().endsRun() && taskRuns.end(event);
            next = next(event, current, ranHere, taskRuns);
            if (before != null && next == current && !ranHere && !event.event().equals(EventType.SUBMITTED)) {
                return false;
            }
        }
        Event started = event.event() == EventType.STARTED ? event : (before == null ? null : before.started());
        if (event.durationMs() != null && event.event().endsRun()) {
            endedMs += event.durationMs();
            endedAttempts++;
        }
        Integer chunk = event.chunk() != null ? event.chunk() : before == null ? null : before.chunk();
        String digest = event.event() == EventType.SUBMITTED && event.digest() != null ? event.digest()
                : before == null ? null : before.digest();
        boolean confirmed = event.event() != EventType.SUBMITTED;
        put(before, new TaskView(event.taskId(), chunk, next, event, started, digest, taskRuns.openCount(), confirmed));
        return true;
    }

    /** The broker confirmed the tasks an {@link AcceptedRecord} names. Returns whether anything changed. */
    public boolean accept(AcceptedRecord accepted) {
        if (!batch.equals(accepted.batch()) || accepted.taskIds() == null) {
            return false;
        }
        boolean changed = false;
        for (String id : accepted.taskIds()) {
            TaskView view = tasks.get(id);
            if (view != null && !view.confirmed()) {
                put(view, view.confirm());
                changed = true;
            }
        }
        return changed;
    }

    /** Puts {@code view} in place of {@code before} (null: a new task), counting their states. */
    private void put(TaskView before, TaskView view) {
        if (before != null) {
            inState[before.state().ordinal()]--;
        }
        inState[view.state().ordinal()]++;
        tasks.put(view.taskId(), view);
    }

    /**
     * A run that ends while another copy of the task runs keeps the task running and holds its outcome until the
     * last copy ends. A copy cancelled because a newer one replaced it ({@code superseded}) never ends the task:
     * the task is then queued again, or keeps what another copy reached.
     */
    private static TaskState next(Event event, TaskState current, boolean ranHere, TaskRuns taskRuns) {
        if (event.event() == EventType.CANCELLED && event.reason() == Reason.SUPERSEDED) {
            if (taskRuns.anyOpen()) {
                return TaskState.RUNNING;
            }
            return ranHere ? taskRuns.takeHeld(TaskState.SUBMITTED) : current == null ? TaskState.SUBMITTED : current;
        }
        if (ranHere) {
            TaskState reached = TaskState.reachedBy(event.event());
            if (taskRuns.anyOpen()) {
                taskRuns.hold(reached);
                return TaskState.RUNNING;
            }
            taskRuns.takeHeld(null);
            return reached;
        }
        TaskState moved = TaskState.next(current, event.event());
        return taskRuns.anyOpen() ? TaskState.RUNNING : moved;
    }

    /** The batch size, or null while it is not known: the tasks' own {@code chunks} first, then {@code --expect}. */
    public Integer total() {
        if (chunksFromEvents != null) {
            return chunksFromEvents;
        }
        if (expected != null) {
            return expected;
        }
        return tasks.isEmpty() ? null : tasks.size();
    }

    public Map<TaskState, Integer> counts() {
        Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
        for (TaskState state : TaskState.values()) {
            counts.put(state, inState[state.ordinal()]);
        }
        return counts;
    }

    public int count(TaskState state) {
        return inState[state.ordinal()];
    }

    public int done() {
        return count(TaskState.SUCCEEDED) + count(TaskState.SKIPPED);
    }

    public int terminal() {
        return countWhere(TaskState::isTerminal);
    }

    /** Every task of the batch has reached a terminal state. */
    public boolean isComplete() {
        Integer total = total();
        int terminal = terminal();
        return total != null && terminal >= total && terminal == tasks.size();
    }

    public boolean isSuccessful() {
        return isComplete() && countWhere(TaskState::isDone) == tasks.size();
    }

    public boolean isCancelled() {
        return isComplete() && count(TaskState.CANCELLED) > 0;
    }

    private int countWhere(Predicate<TaskState> which) {
        int n = 0;
        for (TaskState state : TaskState.values()) {
            if (which.test(state)) {
                n += inState[state.ordinal()];
            }
        }
        return n;
    }

    public List<TaskView> inState(TaskState state) {
        return tasks.values().stream().filter(view -> view.state() == state)
                .sorted(Comparator.comparing(view -> view.chunk() == null ? -1 : view.chunk()))
                .toList();
    }

    /** What is known of one task of the batch. */
    public java.util.Optional<TaskView> task(String taskId) {
        return java.util.Optional.ofNullable(tasks.get(taskId));
    }

    public List<TaskView> tasks() {
        return List.copyOf(tasks.values());
    }

    /**
     * Tasks finished per second at the present pace: the running tasks over the mean run time of the attempts that
     * ended. Every duration is measured on one worker's own clock, so hosts whose clocks disagree do not matter.
     * 0 while nothing runs or no attempt has ended.
     */
    public double rate(Instant now) {
        int running = count(TaskState.RUNNING);
        if (endedAttempts == 0 || running == 0) {
            return 0;
        }
        double meanS = Math.max(0.001, endedMs / (double) endedAttempts / 1000.0);
        return running / meanS;
    }

    /** Estimated time left at the present pace, or null when it cannot be told yet. */
    public Duration eta(Instant now) {
        Integer total = total();
        double rate = rate(now);
        if (total == null || rate <= 0) {
            return null;
        }
        return Duration.ofMillis((long) (Math.max(0, total - terminal()) / rate * 1000));
    }
}
