package org.dp3q.worker.slot;

import com.rabbitmq.client.Connection;
import java.util.Optional;
import org.dp3q.worker.claim.Claims;
import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.worker.health.Quarantine;
import org.dp3q.worker.health.WalltimeAdmission;
import org.dp3q.worker.metrics.WorkerMetrics;

/**
 * What the slots of one worker share: cancels heard, meters, the quarantine, the walltime admission, the
 * executor that stops subprocesses off the broker client's threads, the connection (to record a run whose
 * delivery was lost) and the claims, when runs are claimed.
 */
public record SlotContext(CancelledBatches cancelled, WorkerMetrics metrics, Quarantine quarantine,
                          WalltimeAdmission walltime, java.util.concurrent.Executor stops, Connection connection,
                          Optional<Claims> claims) {
}
