package org.dp3q.worker.deadletter;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.WorkerRef;
import org.dp3q.failed.FailedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves tasks the broker dead-lettered past their delivery limit from {@code dp3q.dead-letter} to
 * {@code dp3q.failed}: the original body untouched plus failure headers (reason {@code delivery-limit}),
 * and a {@code failed} event so {@code wait} ends. Both are confirmed before the dead letter is acked, so a
 * crash in between leaves it to be moved again, never lost. Every worker runs one; they share the work.
 */
public final class DeadLetterMover {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMover.class);
    private static final Duration REOPEN_DELAY = Duration.ofSeconds(2);
    private static final long CONFIRM_TIMEOUT_MS = 60_000;

    private final Connection connection;
    private final WorkerRef worker;
    private final ScheduledExecutorService reopener;
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile boolean stopping;

    public DeadLetterMover(Connection connection, WorkerRef worker, ScheduledExecutorService reopener) {
        this.connection = connection;
        this.worker = worker;
        this.reopener = reopener;
    }

    public synchronized void open() throws IOException {
        Channel opened = connection.createChannel();
        opened.confirmSelect();
        opened.basicQos(8);
        opened.addShutdownListener(this::onShutdown);
        consumerTag = opened.basicConsume(Topology.DEAD_LETTER_QUEUE, false, new Mover(opened));
        channel = opened;
    }

    /** Stops taking dead letters (the worker drains). */
    public void stop() {
        stopping = true;
        try {
            Channel open = channel;
            if (open != null && open.isOpen()) {
                open.basicCancel(consumerTag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cancelling the dead-letter consumer: {}", e.toString());
        }
    }

    private void move(Channel on, Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
        DeadLetterRecord record = DeadLetterRecord.read(properties, body);
        Event failure = record.failedEvent(worker);
        LOG.warn("failed task {} (batch {} chunk {} attempt {}): {}", failure.taskId(), failure.batch(), failure.chunk(),
                failure.attempt(), failure.message());
        EventPublisher.publish(on, failure);
        on.basicPublish(Topology.FAILED_EXCHANGE, Topology.FAILED_QUEUE, FailedRecord.properties(properties, failure, record.pool()), body);
        try {
            on.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for confirms", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("the broker did not confirm the failed record in time", e);
        }
        on.basicAck(envelope.getDeliveryTag(), false);
    }

    private void onShutdown(ShutdownSignalException cause) {
        if (cause.isInitiatedByApplication() || cause.isHardError() || stopping) {
            return; // the client recovers connections; only channel-level closes need a new channel
        }
        LOG.warn("dead-letter channel closed ({}); opening it again", cause.getMessage());
        reopener.schedule(this::reopen, REOPEN_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reopen() {
        if (stopping) {
            return;
        }
        try {
            open();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot reopen the dead-letter channel yet ({}); trying again", e.toString());
            reopener.schedule(this::reopen, REOPEN_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void requeue(Envelope envelope) {
        try {
            Channel open = channel;
            if (open != null && open.isOpen()) {
                open.basicNack(envelope.getDeliveryTag(), false, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("requeueing a dead letter: {}", e.toString());
        }
    }

    private final class Mover extends DefaultConsumer {
        Mover(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            try {
                move(getChannel(), envelope, properties, body);
            } catch (IOException | RuntimeException e) {
                LOG.error("could not move dead letter {} to {}; it stays for another try: {}", properties.getMessageId(),
                        Topology.FAILED_QUEUE, e.toString());
                requeue(envelope);
            }
        }
    }
}
