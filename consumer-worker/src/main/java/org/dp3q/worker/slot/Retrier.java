package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.publish.UnroutableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.task.AttemptHeaders;
import org.dp3q.task.Task;
import org.dp3q.worker.config.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a failed attempt of a task with {@code max_attempts > 1}: republishes the original body with its
 * retry count raised to a delay queue that hands it back to the pool after the backoff, records a
 * {@code retrying} event, and only then acks the delivery. Whether to retry is {@link org.dp3q.event.OutcomePolicy}'s call.
 */
final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final RetryPolicy policy;
    private final OutcomeRecorder recorder;
    private final Set<String> declared = new HashSet<>();

    Retrier(RetryPolicy policy, OutcomeRecorder recorder) {
        this.policy = policy;
        this.recorder = recorder;
    }

    void retry(Delivery delivery, Task task, int attempt, Event.Builder retrying, String failure)
            throws IOException, InterruptedException, TimeoutException {
        Duration delay = policy.delayBefore(attempt);
        String queue = Topology.retryQueue(task.poolOrDefault(), delay);
        if (!declared.contains(queue)) {
            Topology.declareRetryQueue(delivery.channel(), task.poolOrDefault(), delay);
            declared.add(queue);
        }
        String message = failure + "; attempt " + attempt + " of max_attempts=" + task.maxAttemptsOrDefault()
                + ", retrying in " + delay.toSeconds() + " s";
        LOG.warn("retrying task {} (batch {} chunk {} attempt {}): {}", task.taskId(), task.batch(), task.chunk(), attempt,
                message);
        try {
            recorder.retried(delivery, retrying.message(message).build(), queue, withAttempts(delivery.properties(), attempt));
        } catch (UnroutableException e) {
            // the delay queue or its binding is gone: declare it again next time; this delivery is not acked
            declared.remove(queue);
            throw e;
        }
    }

    private static AMQP.BasicProperties withAttempts(AMQP.BasicProperties original, int attempts) {
        Map<String, Object> headers = new HashMap<>();
        if (original.getHeaders() != null) {
            headers.putAll(original.getHeaders());
        }
        // the republished message starts a fresh redelivery count; the old one is in the attempts now
        headers.remove(AttemptHeaders.DELIVERY_COUNT);
        AttemptHeaders.forgetHolds(headers);
        headers.put(AttemptHeaders.ATTEMPTS, attempts);
        return original.builder().headers(headers).deliveryMode(2).build();
    }
}
