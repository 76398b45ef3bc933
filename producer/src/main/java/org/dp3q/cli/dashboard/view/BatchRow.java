package org.dp3q.cli.dashboard.view;

import java.util.Map;
import org.dp3q.cli.dashboard.data.BatchSnapshot;
import org.dp3q.event.TaskState;

/**
 * A batch's line in the list: its counts for the progress bar (done, failed, running, queued of total), rate,
 * ETA and state. Queued counts every task not yet running or ended, those not heard of yet included.
 */
public record BatchRow(String name, int total, int done, int failed, int cancelled, int running, int queued,
                       double ratePerMin, Long etaS, String state, String lastEvent) {

    public static BatchRow of(BatchSnapshot batch) {
        Map<TaskState, Integer> c = batch.counts();
        int done = c.get(TaskState.SUCCEEDED) + c.get(TaskState.SKIPPED);
        int failed = c.get(TaskState.FAILED);
        int cancelled = c.get(TaskState.CANCELLED);
        int running = c.get(TaskState.RUNNING);
        int seen = c.values().stream().mapToInt(Integer::intValue).sum();
        int total = Math.max(batch.total() == null ? seen : batch.total(), seen);
        int queued = total - done - failed - cancelled - running;
        boolean over = batch.state().equals("succeeded") || batch.state().equals("failed") || batch.state().equals("cancelled");
        return new BatchRow(batch.name(), total, done, failed, cancelled, running, queued,
                Math.round(batch.ratePerS() * 60 * 10) / 10.0,
                over || batch.eta() == null ? null : batch.eta().toSeconds(), batch.state(), batch.lastEvent().toString());
    }
}
