package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
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
    private final DelayQueues delayQueues;

    Retrier(RetryPolicy policy, OutcomeRecorder recorder, DelayQueues delayQueues) {
        this.policy = policy;
        this.recorder = recorder;
        this.delayQueues = delayQueues;
    }

    void retry(Delivery delivery, Task task, int attempt, Event.Builder retrying, String failure)
            throws IOException, InterruptedException, TimeoutException {
        Duration delay = policy.delayBefore(attempt);
        String message = failure + "; attempt " + attempt + " of max_attempts=" + task.maxAttemptsOrDefault()
                + ", retrying in " + delay.toSeconds() + " s";
        LOG.warn("retrying task {} (batch {} chunk {} attempt {}): {}", task.taskId(), task.batch(), task.chunk(), attempt,
                message);
        delayQueues.publish(delivery.channel(), task.poolOrDefault(), delay, queue -> recorder.retried(delivery,
                retrying.message(message).build(), queue, withAttempts(delivery.properties(), attempt)));
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
