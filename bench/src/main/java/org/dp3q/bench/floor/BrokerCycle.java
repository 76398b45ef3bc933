package org.dp3q.bench.floor;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dp3q.bench.broker.BurstPublisher;
import org.dp3q.bench.broker.TaskMessages;
import org.dp3q.bench.stats.Stats;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.event.Event;
import org.dp3q.event.EventPublisher;
import org.dp3q.event.EventType;
import org.dp3q.event.WorkerRef;
import org.dp3q.task.TaskIdentity;

/**
 * The broker's share of a dispatch gap, with no worker in the way: a prefetch-1 consumer on the task queue that,
 * for every delivery, publishes an outcome-sized event to the stream, waits for its confirm, acks, and waits for
 * the next delivery, as a slot does between two subprocesses. Back to back, or with a pause after each delivery
 * where a slot's tool would run: an idle broker and client answer later than busy ones (their threads sleep).
 * Besides the worker's order ({@link Settle#CONFIRM_THEN_ACK}), two orders with one round trip fewer, measured to
 * know what they would give, not used by the worker: see {@link Settle}. Likewise a classic queue in place of the
 * quorum task queue: see {@link Source}.
 */
public final class BrokerCycle {
    private static final int WARMUP = 100;

    private BrokerCycle() {
    }

    /** How an outcome is recorded and its delivery settled. */
    public enum Settle {
        /** The worker's way: the event's confirm, then the ack. The task is acked only once its outcome is stored. */
        CONFIRM_THEN_ACK,
        /**
         * The ack right behind the event, the confirm awaited after: the broker may apply the ack and lose the event
         * (a crash between the two), leaving a task acked with no outcome recorded.
         */
        PIPELINED,
        /**
         * The event and the ack in one AMQP transaction (tx.select, publish, ack, tx.commit) instead of confirms.
         * RabbitMQ's transactions are not atomic across queues (a batch, not ACID), so the same loss as
         * {@link #PIPELINED} remains possible.
         */
        TRANSACTION
    }

    /** Where the deliveries come from. */
    public enum Source {
        /**
         * dp3q's task queue, a quorum queue: an ack is a Raft command, written to the queue's log (and synced) before
         * the queue hands out the next message.
         */
        TASK_QUEUE,
        /**
         * A classic durable queue, settled in memory: what the quorum queue's settle costs. Not dp3q's choice: a
         * classic queue counts no deliveries (no {@code x-delivery-count}, so no attempt numbers and no delivery
         * limit for a task that kills its worker every time) and is not replicated across a cluster's nodes.
         */
        CLASSIC_QUEUE
    }

    /**
     * p50 and p99, in ms, of event publish → confirm and of ack → next delivery (the worker's order only), and the
     * p50 of the whole cycle: event publish → next delivery.
     */
    public record Result(double confirmP50, double confirmP99, double redeliverP50, double redeliverP99, double cycleP50) {
    }

    private record Received(long tag, long nanos) {
    }

    /** {@code pauseMs} after each delivery (0: back to back), as long as a chunk's tool would run. */
    public static Result measure(Connection connection, int count, long pauseMs) throws IOException, InterruptedException {
        return measure(connection, count, pauseMs, Settle.CONFIRM_THEN_ACK);
    }

    /** As above, recording and settling in the order {@code settle}. */
    public static Result measure(Connection connection, int count, long pauseMs, Settle settle)
            throws IOException, InterruptedException {
        return measure(connection, count, pauseMs, settle, Source.TASK_QUEUE);
    }

    /** As above, the deliveries coming from {@code source}. */
    public static Result measure(Connection connection, int count, long pauseMs, Settle settle, Source source)
            throws IOException, InterruptedException {
        String queue = source == Source.TASK_QUEUE ? Topology.taskQueue(Topology.DEFAULT_POOL) : classicQueue(connection);
        int total = count + WARMUP + 1;
        List<TaskMessages.Message> tasks = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            TaskMessages.Message task = TaskMessages.task("floor", i, total, List.of("msin=/data/floor.ms",
                    "msin.starttimeslot=" + i, "msin.ntimes=1", "steps=[]"), java.time.Instant.now().toString());
            tasks.add(source == Source.TASK_QUEUE ? task
                    : new TaskMessages.Message("", queue, task.properties(), task.body()));
        }
        BurstPublisher.publish(connection, tasks, 2000);
        Event outcome = Event.of(EventType.SUCCEEDED, new TaskIdentity("floor/1", "floor", 1, total))
                .pool(Topology.DEFAULT_POOL).attempt(1).worker(new WorkerRef("host", 12345L, 0, "floor"))
                .exitCode(0).durationMs(250).log("/scratch/dp3q-logs/floor/floor_1.attempt1.20250101T000000.log").build();
        AMQP.BasicProperties properties = EventPublisher.properties(outcome);
        byte[] body = Json.bytes(outcome);

        Channel channel = connection.createChannel();
        try {
            if (settle == Settle.TRANSACTION) {
                channel.txSelect();
            } else {
                channel.confirmSelect();
            }
            channel.basicQos(1);
            BlockingQueue<Received> deliveries = new LinkedBlockingQueue<>();
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] b) {
                    deliveries.add(new Received(envelope.getDeliveryTag(), System.nanoTime()));
                }
            });
            double[] confirm = new double[count];
            double[] redeliver = new double[count];
            double[] cycle = new double[count];
            Received current = take(deliveries);
            for (int i = -WARMUP; i < count; i++) {
                if (pauseMs > 0) {
                    // where the tool runs: nothing to wait for, only time to let pass
                    Thread.sleep(pauseMs);
                }
                long t0 = System.nanoTime();
                channel.basicPublish(Topology.EVENTS_EXCHANGE, Topology.EVENTS_STREAM, properties, body);
                if (settle == Settle.CONFIRM_THEN_ACK) {
                    channel.waitForConfirmsOrDie(10_000);
                }
                long t1 = System.nanoTime();
                channel.basicAck(current.tag(), false);
                long t2 = System.nanoTime();
                if (settle == Settle.PIPELINED) {
                    channel.waitForConfirmsOrDie(10_000);
                } else if (settle == Settle.TRANSACTION) {
                    channel.txCommit();
                }
                current = take(deliveries);
                if (i >= 0) {
                    confirm[i] = (t1 - t0) / 1e6;
                    redeliver[i] = (current.nanos() - t2) / 1e6;
                    cycle[i] = (current.nanos() - t0) / 1e6;
                }
            }
            return new Result(Stats.percentile(confirm, 50), Stats.percentile(confirm, 99),
                    Stats.percentile(redeliver, 50), Stats.percentile(redeliver, 99), Stats.percentile(cycle, 50));
        } catch (TimeoutException e) {
            throw new IOException("an event was not confirmed within 10 s", e);
        } finally {
            try {
                channel.abort();
            } catch (RuntimeException ignored) {
                // measured already
            }
        }
    }

    /** Declares the classic durable queue of {@link Source#CLASSIC_QUEUE} in the measurement's vhost. */
    private static String classicQueue(Connection connection) throws IOException {
        String queue = "dp3q-bench.floor.classic";
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "classic"));
        } catch (TimeoutException e) {
            throw new IOException("closing the channel that declared " + queue + " timed out", e);
        }
        return queue;
    }

    private static Received take(BlockingQueue<Received> deliveries) throws InterruptedException, IOException {
        Received r = deliveries.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new IOException("no delivery within 10 s");
        }
        return r;
    }
}
