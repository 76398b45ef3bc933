package org.dp3q.cli.dashboard.view;

import java.util.List;

/** What the page polls every second: the batches, the workers and the failed tasks. */
public record Overview(String broker, boolean readOnly, String now, List<BatchRow> batches, List<WorkerRow> workers,
                       List<FailedRow> failed) {
}
