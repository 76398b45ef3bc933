package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.publish.UnroutableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.failed.FailedRecord;
import org.dp3q.worker.metrics.WorkerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of a delivery and only then settles it: the outcome event (and, for a failure, the
 * failed record with the original body; for a retry or a return, the task's next copy) must be confirmed and
 * routed by the broker before the task is acked. Every publish is mandatory: one that no queue takes fails the
 * confirm, the delivery is not acked, and the task comes back.
 */
final class OutcomeRecorder {
    private static final long CONFIRM_TIMEOUT_MS = 60_000;
    private static final Duration EVENTS_PATIENCE = Duration.ofSeconds(30);
    private static final long FIRST_PAUSE_MS = 50;
    private static final long MAX_PAUSE_MS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

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
        confirmThenAck(delivery, outcome);
        metrics.settled(outcome);
    }

    /** A terminal failure: event plus failed record, both confirmed, then ack. */
    void failed(Delivery delivery, Event failure, String pool) throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.out(), failure);
        delivery.out().publish(Topology.FAILED_EXCHANGE, Topology.FAILED_QUEUE,
                FailedRecord.properties(delivery.properties(), failure, pool), delivery.body());
        confirmThenAck(delivery, failure);
        metrics.settled(failure);
    }

    /** A failed attempt with attempts left: event plus the task republished to a delay queue, both confirmed, then ack. */
    void retried(Delivery delivery, Event retrying, String delayQueue, AMQP.BasicProperties properties)
            throws IOException, InterruptedException, TimeoutException {
        EventPublisher.publish(delivery.out(), retrying);
        delivery.out().publish(Topology.RETRY_EXCHANGE, delayQueue, properties, delivery.body());
        confirmThenAck(delivery, retrying);
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
        confirmThenAck(delivery, returned);
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
        confirmThenAck(delivery, null);
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

    /**
     * Waits for the confirms, then acks. When the outcome's {@code event} alone came back unroutable (the events
     * stream is not up yet, as just after a broker restart) the event alone is published again, for up to
     * {@link #EVENTS_PATIENCE}: the run is over and its outcome known, and handing the task back would run it again.
     */
    private static void confirmThenAck(Delivery delivery, Event event) throws IOException, InterruptedException, TimeoutException {
        long giveUp = System.nanoTime() + EVENTS_PATIENCE.toNanos();
        long pauseMs = FIRST_PAUSE_MS;
        while (true) {
            try {
                delivery.out().confirm(CONFIRM_TIMEOUT_MS);
                break;
            } catch (UnroutableException e) {
                if (event == null || !e.onlyTo(Topology.EVENTS_EXCHANGE) || System.nanoTime() - giveUp > 0) {
                    throw e;
                }
                if (pauseMs == FIRST_PAUSE_MS) {
                    LOG.warn("task {}: the events stream took no record of its {} ({}); recording it again for up to {} s",
                            event.taskId(), event.event().wire(), e.getMessage(), EVENTS_PATIENCE.toSeconds());
                }
                Thread.sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
                EventPublisher.publish(delivery.out(), event);
            }
        }
        if (delivery.settles()) {
            delivery.channel().basicAck(delivery.tag(), false);
        }
    }
}
