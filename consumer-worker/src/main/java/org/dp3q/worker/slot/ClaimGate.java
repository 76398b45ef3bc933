package org.dp3q.worker.slot;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.dp3q.task.AttemptHeaders;
import org.dp3q.task.Task;
import org.dp3q.worker.claim.Claim;
import org.dp3q.worker.claim.ClaimRecord;
import org.dp3q.worker.claim.Claims;
import org.dp3q.worker.claim.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims a delivery's run. A fresh message starts at once: no run of it can exist; it is claimed once it has
 * run a second, and judged while it runs (only a run judged first may outlive its delivery). A message that may
 * have run already (redelivered, or held before) starts only when its claim is judged first in the log; while another
 * run's claim is live it is held in a delay queue, and once that run's outcome is recorded it is settled
 * without running.
 */
final class ClaimGate {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimGate.class);
    /** A claim not read back by then (the claims stream is away) holds the copy rather than run it blind. */
    private static final Duration VERDICT_WAIT = Duration.ofSeconds(10);

    private final Claims claims;
    private final int slot;
    private final OutcomeRecorder recorder;
    private final DelayQueues delayQueues;

    ClaimGate(Claims claims, int slot, OutcomeRecorder recorder, DelayQueues delayQueues) {
        this.claims = claims;
        this.slot = slot;
        this.recorder = recorder;
        this.delayQueues = delayQueues;
    }

    /** The run's claim when the tool may start now; null when the delivery was held or settled instead. */
    Claim admit(ActiveDelivery active, Task task) throws IOException, InterruptedException, TimeoutException {
        Delivery delivery = active.delivery();
        if (!delivery.mayHaveRun()) {
            return claims.claimLater(task.taskId(), delivery.copyKey(), slot);
        }
        Claim claim = claims.claim(task.taskId(), delivery.copyKey(), slot);
        try {
            Verdict verdict = claim.verdict(VERDICT_WAIT);
            if (active.isLost()) {
                // the channel died meanwhile: the broker has the message back, and nothing is done with it here
                return null;
            }
            if (verdict == null) {
                hold(delivery, task, claim, "its claim was not read back within " + VERDICT_WAIT.toSeconds() + " s");
                return null;
            }
            switch (verdict.kind()) {
                case RUN -> {
                    return claim;
                }
                case SETTLED -> {
                    OutcomeRecorder.settledElsewhere(delivery);
                    claim.release(verdict.outcome());
                    LOG.info("settled task {} (batch {} chunk {}) without running it: {} ran this copy and recorded {}",
                            task.taskId(), task.batch(), task.chunk(), verdict.owner(), verdict.outcome());
                    return null;
                }
                default -> {
                    hold(delivery, task, claim, verdict.owner() + " runs it under a live claim");
                    return null;
                }
            }
        } finally {
            if (!claim.released() && claim.verdictOr(Verdict.Kind.HOLD) != Verdict.Kind.RUN) {
                claim.release(ClaimRecord.LOST);
            }
        }
    }

    private void hold(Delivery delivery, Task task, Claim claim, String why)
            throws IOException, InterruptedException, TimeoutException {
        Duration delay = claims.renewEvery();
        delayQueues.publish(delivery.channel(), task.poolOrDefault(), delay,
                queue -> recorder.held(delivery, queue, AttemptHeaders.held(delivery.headers(), delivery.copyKey())));
        claim.release(ClaimRecord.HELD);
        LOG.info("holding task {} (batch {} chunk {}) for {} s: {}", task.taskId(), task.batch(), task.chunk(),
                delay.toMillis() / 1000.0, why);
    }
}
