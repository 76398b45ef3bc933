package org.dp3q.cli.replay;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Replays of a batch or some of its chunks for callers other than {@code dp3q replay}, through the same mover. */
public final class Replays {
    private Replays() {
    }

    /** What one replayed (or not replayed) task became, as {@code dp3q replay} prints it. */
    public record Line(String taskId, boolean ok, String text) {
    }

    /** As {@code dp3q replay --batch B [--chunk N ...]}; an empty {@code chunks} means the whole batch. */
    public static List<Line> replay(Connection connection, String batch, Set<Integer> chunks)
            throws IOException, InterruptedException, TimeoutException {
        try (FailedTaskMover mover = new FailedTaskMover(connection)) {
            return mover.move(new ReplaySelection(batch, chunks, null, false), null, false).stream()
                    .map(m -> new Line(m.record().taskId(), m.ok(), m.ok() ? "replayed " + m.record().taskId()
                            + " to pool " + m.pool() : "NOT replayed " + m.record().taskId() + ": " + m.problem()))
                    .toList();
        }
    }
}
