package org.dp3q.cli.dashboard.view;

import java.time.Instant;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.TaskIdentity;

/** Events of batch {@code b} as workers record them, for the view tests. */
final class Events {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Events() {
    }

    static Event submitted(int chunk, int chunks) {
        return Event.of(EventType.SUBMITTED, id(chunk, chunks)).time(T0).build();
    }

    static Event started(int chunk, int attempt, String worker, int slot, int atS) {
        return Event.of(EventType.STARTED, id(chunk, 0)).attempt(attempt).worker(new WorkerRef("h", 7L, slot, worker))
                .log("/logs/b/b_" + chunk + ".attempt" + attempt + ".log").time(T0.plusSeconds(atS)).build();
    }

    static Event ended(EventType type, int chunk, int attempt, String worker, int slot, int atS) {
        Event.Builder b = Event.of(type, id(chunk, 0)).attempt(attempt).worker(new WorkerRef("h", 7L, slot, worker))
                .log("/logs/b/b_" + chunk + ".attempt" + attempt + ".log").time(T0.plusSeconds(atS)).durationMs(1000)
                .cpuMs(900L).maxRssKb(2048L);
        if (type == EventType.FAILED) {
            b.exitCode(2).reason(Reason.EXIT).stderrTail("cannot open sky.skymodel");
        } else {
            b.exitCode(0);
        }
        return b.build();
    }

    private static TaskIdentity id(int chunk, int chunks) {
        return new TaskIdentity("b/" + chunk, "b", chunk, chunks == 0 ? null : chunks);
    }
}
