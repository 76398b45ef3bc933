package org.dp3q.worker.deadletter;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.dp3q.broker.consume.ConsumerSupervisor;
import org.dp3q.broker.publish.RoutedChannel;
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
 * and a {@code failed} event so {@code wait} ends. Both are confirmed and routed before the dead letter is acked,
 * so a crash in between leaves it to be moved again, never lost. Every worker runs one; they share the work.
 * The confirm waits run on the mover's own thread, never on the broker client's.
 */
public final class DeadLetterMover {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMover.class);
    private static final long CONFIRM_TIMEOUT_MS = 60_000;

    private final WorkerRef worker;
    private final ExecutorService mover = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "dead-letter-mover");
        thread.setDaemon(true);
        return thread;
    });
    private final ConsumerSupervisor supervisor;

    public DeadLetterMover(Connection connection, WorkerRef worker, ScheduledExecutorService timer) {
        this.worker = worker;
        this.supervisor = new ConsumerSupervisor("dead-letter mover", Topology.DEAD_LETTER_QUEUE, connection,
                List.of(Topology.shared().stream().filter(d -> d.what().equals("queue " + Topology.DEAD_LETTER_QUEUE))
                        .findFirst().orElseThrow()),
                this::subscribe, timer, mover);
    }

    public void open() throws IOException {
        supervisor.open();
    }

    private String subscribe(Channel channel) throws IOException {
        RoutedChannel routed = RoutedChannel.on(channel);
        channel.basicQos(8);
        return channel.basicConsume(Topology.DEAD_LETTER_QUEUE, false, new Mover(routed));
    }

    /** Stops taking dead letters (the worker drains). */
    public void stop() {
        supervisor.stop();
    }

    private void move(RoutedChannel on, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        try {
            DeadLetterRecord record = DeadLetterRecord.read(properties, body);
            Event failure = record.failedEvent(worker);
            LOG.warn("failed task {} (batch {} chunk {} attempt {}): {}", failure.taskId(), failure.batch(), failure.chunk(),
                    failure.attempt(), failure.message());
            EventPublisher.publish(on, failure);
            on.publish(Topology.FAILED_EXCHANGE, Topology.FAILED_QUEUE,
                    FailedRecord.properties(properties, failure, record.pool(), record.deliveries()), body);
            on.confirm(CONFIRM_TIMEOUT_MS);
            on.channel().basicAck(envelope.getDeliveryTag(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(on, envelope);
        } catch (Exception e) {
            LOG.error("could not move dead letter {} to {}; it stays for another try: {}", properties.getMessageId(),
                    Topology.FAILED_QUEUE, e.toString());
            requeue(on, envelope);
        }
    }

    private static void requeue(RoutedChannel on, Envelope envelope) {
        try {
            if (on.channel().isOpen()) {
                on.channel().basicNack(envelope.getDeliveryTag(), false, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("requeueing a dead letter: {}", e.toString());
        }
    }

    private final class Mover extends DefaultConsumer {
        private final RoutedChannel routed;

        Mover(RoutedChannel routed) {
            super(routed.channel());
            this.routed = routed;
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            mover.execute(() -> move(routed, envelope, properties, body));
        }

        @Override
        public void handleCancel(String consumerTag) {
            supervisor.cancelledByBroker();
        }
    }
}
