package org.dp3q.worker.slot;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.failed.FailedRecord;
import org.dp3q.worker.metrics.WorkerMetrics;

/**
 * Records what became of a delivery and only then settles it: the outcome event (and, for a failure, the
 * failed record with the original body) must be confirmed by the broker before the task is acked.
 */
final class OutcomeRecorder {
    private static final long CONFIRM_TIMEOUT_MS = 60_000;

    private final WorkerMetrics metrics;

    OutcomeRecorder(WorkerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The started event goes out without waiting; the outcome's confirm covers it too. */
    void started(Delivery delivery, Event started) throws IOException {
        EventPublisher.publish(delivery.channel(), started);
    }

    /** A terminal outcome that needs no failed record (succeeded, skipped, cancelled): event confirmed, then ack. */
    void settled(Delivery delivery, Event outcome) throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.channel(), outcome);
        confirmThenAck(delivery);
        metrics.settled(outcome);
    }

    /** A terminal failure: event plus failed record, both confirmed, then ack. */
    void failed(Delivery delivery, Event failure, String pool) throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.channel(), failure);
        delivery.channel().basicPublish(Topology.FAILED_EXCHANGE, Topology.FAILED_QUEUE,
                FailedRecord.properties(delivery.properties(), failure, pool), delivery.body());
        confirmThenAck(delivery);
        metrics.settled(failure);
    }

    /** A failed attempt with attempts left: event plus the task republished to a delay queue, both confirmed, then ack. */
    void retried(Delivery delivery, Event retrying, String delayQueue, com.rabbitmq.client.AMQP.BasicProperties properties)
            throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.channel(), retrying);
        delivery.channel().basicPublish(Topology.RETRY_EXCHANGE, delayQueue, properties, delivery.body());
        confirmThenAck(delivery);
        metrics.settled(retrying);
    }

    /** Hands the task back to the queue (a draining worker ran out of time) after recording why. */
    void requeued(Delivery delivery, Event retrying) throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.channel(), retrying);
        delivery.channel().waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        delivery.channel().basicNack(delivery.tag(), false, true);
        metrics.settled(retrying);
    }

    private static void confirmThenAck(Delivery delivery) throws IOException, InterruptedException, TimeoutException {
        delivery.channel().waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        delivery.channel().basicAck(delivery.tag(), false);
    }
}
