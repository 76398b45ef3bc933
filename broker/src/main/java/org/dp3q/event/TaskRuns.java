package org.dp3q.event;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The runs of one task that have started and not ended, each keyed by the worker slot running it. A run ends with
 * its slot's outcome event, or when a later attempt of the task starts or ends (the broker handed the task out
 * again: the earlier worker died or lost the delivery, and a worker kills a subprocess whose delivery is lost; a
 * later attempt's outcome implies its start, whose event a broker restart may have lost), or when the broker gave
 * up on the task (delivery limit). A {@code started} read a second time (a reader that resubscribed)
 * opens nothing.
 * <p>
 * A {@code started} that says {@code sole_run} ends every open run, whatever its attempt: that run's claim was judged
 * first before its tool started, so every other run of the task had been released or had lapsed (its guardian killed
 * it). Attempts alone do not order two copies of one message: a held copy keeps its attempt, and the original the
 * broker hands out again when the holding worker died before acking it counts one more, so the original may run and
 * die (no outcome) before the held copy runs with the lower attempt.
 */
final class TaskRuns {
    private final Map<String, Run> open = new HashMap<>();
    private final Set<String> ended = new HashSet<>();
    private TaskState held;

    private record Run(String id, int attempt) {
    }

    /** Opens the run {@code started} begins; false when that run was seen before. */
    boolean start(Event started) {
        String id = runId(started);
        if (ended.contains(id) || open.values().stream().anyMatch(run -> run.id().equals(id))) {
            return false;
        }
        int attempt = attemptOf(started);
        if (Boolean.TRUE.equals(started.soleRun())) {
            endAll();
        }
        endEarlierThan(attempt);
        Run previous = open.put(slotKey(started), new Run(id, attempt));
        if (previous != null) {
            ended.add(previous.id());
        }
        return true;
    }

    /** Ends the run of the slot {@code outcome} comes from; true when such a run was open. */
    boolean end(Event outcome) {
        if (outcome.reason() == Reason.DELIVERY_LIMIT) {
            return endAll();
        }
        boolean superseded = endEarlierThan(attemptOf(outcome));
        Run run = open.remove(slotKey(outcome));
        if (run == null) {
            return superseded;
        }
        ended.add(run.id());
        return true;
    }

    /** Ends every open run; true when there were any. */
    private boolean endAll() {
        boolean any = !open.isEmpty();
        open.values().forEach(run -> ended.add(run.id()));
        open.clear();
        return any;
    }

    /** Ends the open runs of attempts before {@code attempt}; true when there were any. */
    private boolean endEarlierThan(int attempt) {
        return open.entrySet().removeIf(entry -> {
            boolean superseded = entry.getValue().attempt() < attempt;
            if (superseded) {
                ended.add(entry.getValue().id());
            }
            return superseded;
        });
    }

    /** Keeps the outcome of a run that ended while another copy still runs. */
    void hold(TaskState outcome) {
        held = outcome;
    }

    /** The held outcome, or {@code otherwise}; forgets it. */
    TaskState takeHeld(TaskState otherwise) {
        TaskState outcome = held != null ? held : otherwise;
        held = null;
        return outcome;
    }

    boolean anyOpen() {
        return !open.isEmpty();
    }

    int openCount() {
        return open.size();
    }

    private static String slotKey(Event event) {
        WorkerRef worker = event.worker();
        return worker == null ? "-" : worker.host() + "/" + worker.pid() + "/" + worker.slot();
    }

    private static String runId(Event started) {
        return slotKey(started) + "/" + attemptOf(started) + "/" + started.time();
    }

    private static int attemptOf(Event event) {
        return event.attempt() == null ? 0 : event.attempt();
    }
}
