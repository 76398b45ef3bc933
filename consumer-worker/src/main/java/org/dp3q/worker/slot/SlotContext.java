package org.dp3q.worker.slot;

import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.worker.health.Quarantine;
import org.dp3q.worker.health.WalltimeAdmission;
import org.dp3q.worker.metrics.WorkerMetrics;

/**
 * What the slots of one worker share: cancels heard, meters, the quarantine, the walltime admission, and the
 * executor that stops subprocesses off the broker client's threads.
 */
public record SlotContext(CancelledBatches cancelled, WorkerMetrics metrics, Quarantine quarantine,
                          WalltimeAdmission walltime, java.util.concurrent.Executor stops) {
}
