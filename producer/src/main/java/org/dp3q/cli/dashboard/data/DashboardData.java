package org.dp3q.cli.dashboard.data;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dp3q.cli.logs.Attempt;
import org.dp3q.cli.status.WorkerRoster;

/**
 * Everything the dashboard reads from the broker, behind one small interface so the way it is read can change
 * without touching what the page shows. Today {@link LiveStreams} follows the whole event stream; with a batch
 * index, an implementation that reads the recent batches' progress and follows only the batch on screen gives
 * the same answers at a cost proportional to what is shown.
 */
public interface DashboardData extends AutoCloseable {
    /** The batches with the most recent events first, at most {@code limit}. */
    List<BatchSnapshot> recentBatches(int limit, Instant now);

    Optional<BatchSnapshot> batch(String name, Instant now);

    /** Workers heard from in the last minutes, each by its latest announcement. */
    List<WorkerRoster.Seen> workers(Instant now);

    /** An attempt of a task, the latest with that number (or the latest of all when null). */
    Optional<Attempt> attempt(String taskId, Integer number);

    @Override
    void close();
}
