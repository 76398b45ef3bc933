package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.failed.FailedRecord;
import org.dp3q.worker.metrics.WorkerMetrics;

/**
 * Records what became of a delivery and only then settles it: the outcome event (and, for a failure, the
 * failed record with the original body; for a retry or a return, the task's next copy) must be confirmed and
 * routed by the broker before the task is acked. Every publish is mandatory: one that no queue takes fails the
 * confirm, the delivery is not acked, and the task comes back.
 */
final class OutcomeRecorder {
    private static final long CONFIRM_TIMEOUT_MS = 60_000;

    private final WorkerMetrics metrics;

    OutcomeRecorder(WorkerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The started event goes out without waiting; the outcome's confirm covers it too. */
    void started(Delivery delivery, Event started) throws IOException {
        EventPublisher.publish(delivery.out(), started);
    }

    /** A terminal outcome that needs no failed record (succeeded, skipped, cancelled): event confirmed, then ack. */
    void settled(Delivery delivery, Event outcome) throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.out(), outcome);
        confirmThenAck(delivery);
        metrics.settled(outcome);
    }

    /** A terminal failure: event plus failed record, both confirmed, then ack. */
    void failed(Delivery delivery, Event failure, String pool) throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.out(), failure);
        delivery.out().publish(Topology.FAILED_EXCHANGE, Topology.FAILED_QUEUE,
                FailedRecord.properties(delivery.properties(), failure, pool), delivery.body());
        confirmThenAck(delivery);
        metrics.settled(failure);
    }

    /** A failed attempt with attempts left: event plus the task republished to a delay queue, both confirmed, then ack. */
    void retried(Delivery delivery, Event retrying, String delayQueue, AMQP.BasicProperties properties)
            throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.out(), retrying);
        delivery.out().publish(Topology.RETRY_EXCHANGE, delayQueue, properties, delivery.body());
        confirmThenAck(delivery);
        metrics.settled(retrying);
    }

    /**
     * Gives the task back to its pool's queue without spending its delivery limit: a copy with its counters in
     * {@code headers} is published, confirmed and routed, and only then is this delivery acked. The broker would
     * count a plain requeue as a delivery that never reported back.
     */
    void returned(Delivery delivery, Event returned, String pool, Map<String, Object> headers)
            throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.out(), returned);
        AMQP.BasicProperties copy = delivery.properties().builder().headers(headers).deliveryMode(2).build();
        delivery.out().publish(Topology.REQUEUE_EXCHANGE, pool, copy, delivery.body());
        confirmThenAck(delivery);
        metrics.settled(returned);
    }

    /**
     * Puts a copy of the delivery in a delay queue, unchanged but for {@code headers}, confirmed and routed, then
     * acks it: held while another run's claim is live, it comes back to the pool after the delay. No event: the
     * task's run goes on elsewhere.
     */
    void held(Delivery delivery, String delayQueue, Map<String, Object> headers)
            throws IOException, InterruptedException, TimeoutException {
        AMQP.BasicProperties copy = delivery.properties().builder().headers(headers).deliveryMode(2).build();
        delivery.out().publish(Topology.RETRY_EXCHANGE, delayQueue, copy, delivery.body());
        confirmThenAck(delivery);
    }

    /** Acks a copy whose outcome another run recorded already. */
    static void settledElsewhere(Delivery delivery) throws IOException {
        delivery.channel().basicAck(delivery.tag(), false);
    }

    /** Hands the delivery back to the broker as it is, counted: for a fault of ours, bounded by the delivery limit. */
    static void requeueCounted(Delivery delivery) throws IOException {
        if (delivery.settles() && delivery.channel().isOpen()) {
            delivery.channel().basicNack(delivery.tag(), false, true);
        }
    }

    private static void confirmThenAck(Delivery delivery) throws IOException, InterruptedException, TimeoutException {
        delivery.out().confirm(CONFIRM_TIMEOUT_MS);
        if (delivery.settles()) {
            delivery.channel().basicAck(delivery.tag(), false);
        }
    }
}
