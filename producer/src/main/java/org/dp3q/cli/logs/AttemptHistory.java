package org.dp3q.cli.logs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;

/**
 * The attempts of one task, folded from its events in any order: the {@code started} event of an attempt is
 * recorded off the worker's dispatch path and may come after its outcome.
 */
public final class AttemptHistory {
    private final Map<String, Attempt> byLog = new LinkedHashMap<>();

    /** Applies an event of this task; events without an attempt log (submitted, replayed...) change nothing. */
    public void apply(Event event) {
        if (event.attempt() == null || event.log() == null || event.event() == null) {
            return;
        }
        Attempt before = byLog.get(event.log());
        boolean start = event.event() == EventType.STARTED;
        if (before == null) {
            before = new Attempt(event.taskId(), event.attempt(), event.log(), event.worker(), null, null, null, null,
                    null, null, null, null, null, null);
        }
        Attempt after = start
                ? new Attempt(before.taskId(), before.number(), before.log(), event.worker(), event.time(), before.ended(),
                        before.outcome(), before.exitCode(), before.signal(), before.reason(), before.durationMs(),
                        before.cpuMs(), before.maxRssKb(), before.stderrTail())
                : new Attempt(before.taskId(), before.number(), before.log(), event.worker(), before.started(), event.time(),
                        event.event(), event.exitCode(), event.signal(), event.reason(), event.durationMs(), event.cpuMs(),
                        event.maxRssKb(), event.stderrTail());
        byLog.put(event.log(), after);
    }

    /** Every attempt in the order their first event came. */
    public List<Attempt> list() {
        return new ArrayList<>(byLog.values());
    }

    /** The latest attempt with this number, or the latest of all when {@code number} is null. */
    public Optional<Attempt> find(Integer number) {
        List<Attempt> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (number == null || all.get(i).number() == number) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }
}
