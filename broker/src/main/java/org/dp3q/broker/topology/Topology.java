package org.dp3q.broker.topology;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The broker objects dp3q relies on, declared idempotently by producer and worker at start and by
 * {@code dp3q topology}. Queue arguments are part of the contract: changing one makes the broker refuse
 * the declaration of an existing queue, so they live here and nowhere else.
 */
public final class Topology {
    public static final String TASKS_EXCHANGE = "dp3q.tasks";
    public static final String TASK_QUEUE_PREFIX = "dp3q.tasks.";
    public static final String FAILED_QUEUE = "dp3q.failed";
    /** Where the task queues dead-letter a task past its delivery limit; workers move it on to the failed queue. */
    public static final String DEAD_LETTER_QUEUE = "dp3q.dead-letter";
    public static final String EVENTS_STREAM = "dp3q.events";
    /**
     * Events are published to this fanout exchange, bound to {@link #EVENTS_STREAM}, and failed records to
     * {@link #FAILED_EXCHANGE}, never through the default exchange: write permission on the default exchange lets a
     * user publish to every queue of the vhost, task queues included. Separate names keep permissions exact: a worker
     * may publish events without being able to read them.
     */
    public static final String EVENTS_EXCHANGE = "dp3q.events.in";
    /** Fanout exchange bound to {@link #FAILED_QUEUE}; see {@link #EVENTS_EXCHANGE}. */
    public static final String FAILED_EXCHANGE = "dp3q.failed.in";
    /** Worker announcements (who is alive, what each slot runs); short retention. */
    public static final String WORKERS_STREAM = "dp3q.workers";
    public static final String WORKERS_MAX_AGE = "1D";
    /** Fanout exchange bound to {@link #WORKERS_STREAM}; see {@link #EVENTS_EXCHANGE}. */
    public static final String WORKERS_EXCHANGE = "dp3q.workers.in";
    /**
     * The batch index: one small record per batch opening, saying from which offset of {@link #EVENTS_STREAM} on its
     * events lie (see {@code org.dp3q.batch.BatchIndex}). Kept as long as the events.
     */
    public static final String BATCHES_STREAM = "dp3q.batches";
    /** Fanout exchange bound to {@link #BATCHES_STREAM}; see {@link #EVENTS_EXCHANGE}. */
    public static final String BATCHES_EXCHANGE = "dp3q.batches.in";
    /**
     * Claims on running chunks: a worker records that it runs a task, renews the claim while it runs and releases it
     * when the outcome is recorded, so that a run can outlive its delivery (see docs/design/claims.md). One hour
     * in small segments: reading it back costs the last hour's claims, never the history.
     */
    public static final String CLAIMS_STREAM = "dp3q.claims";
    public static final String CLAIMS_MAX_AGE = "1h";
    static final long CLAIMS_SEGMENT_BYTES = 4_000_000;
    /** Fanout exchange bound to {@link #CLAIMS_STREAM}; see {@link #EVENTS_EXCHANGE}. */
    public static final String CLAIMS_EXCHANGE = "dp3q.claims.in";
    public static final String CONTROL_EXCHANGE = "dp3q.control";
    /** Everything broadcast on {@link #CONTROL_EXCHANGE}, kept so a worker that starts later still learns it. */
    public static final String CONTROL_LOG_STREAM = "dp3q.control.log";
    public static final String DEFAULT_POOL = "default";
    public static final int DELIVERY_LIMIT = 5;
    public static final String EVENTS_MAX_AGE = "7D";
    public static final String RETRY_QUEUE_PREFIX = "dp3q.retry.";
    /** Direct exchange a retried task is published to, routing key = its delay queue's name; see {@link #EVENTS_EXCHANGE}. */
    public static final String RETRY_EXCHANGE = "dp3q.retry.in";
    /**
     * Direct exchange the delay queues dead-letter into, routing key = pool, bound to every pool's task queue. Not
     * {@link #TASKS_EXCHANGE}: declaring a queue that dead-letters into an exchange needs write permission on it, and
     * workers may not publish tasks.
     */
    public static final String REQUEUE_EXCHANGE = "dp3q.retry.out";

    private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Topology() {
    }

    public static String taskQueue(String pool) {
        return TASK_QUEUE_PREFIX + requireValidPool(pool);
    }

    public static String requireValidPool(String pool) {
        if (pool == null || !POOL_NAME.matcher(pool).matches()) {
            throw new IllegalArgumentException("pool name must match " + POOL_NAME + ": " + pool);
        }
        return pool;
    }

    /** Declares everything shared plus the task queue of each given pool. */
    public static void declare(Channel channel, Iterable<String> pools) throws IOException {
        declareShared(channel);
        for (String pool : pools) {
            declarePool(channel, pool);
        }
    }

    public static void declareShared(Channel channel) throws IOException {
        for (Declaration declaration : shared()) {
            declaration.declare().run(channel);
        }
    }

    public static void declarePool(Channel channel, String pool) throws IOException {
        for (Declaration declaration : pool(pool)) {
            declaration.declare().run(channel);
        }
    }

    /** The shared objects, in the order they must be declared. */
    public static List<Declaration> shared() {
        return List.of(
                exchange(TASKS_EXCHANGE, BuiltinExchangeType.DIRECT),
                exchange(CONTROL_EXCHANGE, BuiltinExchangeType.FANOUT),
                queue(FAILED_QUEUE, Map.of("x-queue-type", "quorum")),
                queue(DEAD_LETTER_QUEUE, Map.of("x-queue-type", "quorum")),
                queue(EVENTS_STREAM, Map.of("x-queue-type", "stream", "x-max-age", EVENTS_MAX_AGE)),
                exchange(EVENTS_EXCHANGE, BuiltinExchangeType.FANOUT),
                binding(EVENTS_STREAM, EVENTS_EXCHANGE, ""),
                exchange(FAILED_EXCHANGE, BuiltinExchangeType.FANOUT),
                binding(FAILED_QUEUE, FAILED_EXCHANGE, ""),
                exchange(RETRY_EXCHANGE, BuiltinExchangeType.DIRECT),
                exchange(REQUEUE_EXCHANGE, BuiltinExchangeType.DIRECT),
                queue(WORKERS_STREAM, Map.of("x-queue-type", "stream", "x-max-age", WORKERS_MAX_AGE)),
                exchange(WORKERS_EXCHANGE, BuiltinExchangeType.FANOUT),
                binding(WORKERS_STREAM, WORKERS_EXCHANGE, ""),
                queue(BATCHES_STREAM, Map.of("x-queue-type", "stream", "x-max-age", EVENTS_MAX_AGE)),
                exchange(BATCHES_EXCHANGE, BuiltinExchangeType.FANOUT),
                binding(BATCHES_STREAM, BATCHES_EXCHANGE, ""),
                queue(CONTROL_LOG_STREAM, Map.of("x-queue-type", "stream", "x-max-age", EVENTS_MAX_AGE)),
                binding(CONTROL_LOG_STREAM, CONTROL_EXCHANGE, ""),
                queue(CLAIMS_STREAM, Map.of("x-queue-type", "stream", "x-max-age", CLAIMS_MAX_AGE,
                        "x-stream-max-segment-size-bytes", CLAIMS_SEGMENT_BYTES)),
                exchange(CLAIMS_EXCHANGE, BuiltinExchangeType.FANOUT),
                binding(CLAIMS_STREAM, CLAIMS_EXCHANGE, ""));
    }

    /**
     * The exchange to publish to for {@code queue} (events, failed records, worker announcements): its own fanout
     * exchange, so nobody needs write permission on the default exchange.
     */
    public static String exchangeFor(String queue) {
        return switch (queue) {
            case EVENTS_STREAM -> EVENTS_EXCHANGE;
            case FAILED_QUEUE -> FAILED_EXCHANGE;
            case WORKERS_STREAM -> WORKERS_EXCHANGE;
            case BATCHES_STREAM -> BATCHES_EXCHANGE;
            case CLAIMS_STREAM -> CLAIMS_EXCHANGE;
            default -> throw new IllegalArgumentException("no exchange publishes to " + queue);
        };
    }

    /** A pool's task queue and its binding. */
    public static List<Declaration> pool(String pool) {
        String queue = taskQueue(pool);
        return List.of(queue(queue, taskQueueArguments()), binding(queue, TASKS_EXCHANGE, pool),
                binding(queue, REQUEUE_EXCHANGE, pool));
    }

    private static Declaration exchange(String name, BuiltinExchangeType type) {
        return new Declaration("exchange " + name, c -> c.exchangeDeclare(name, type, true),
                c -> c.exchangeDeclareNoWait(name, type, true, false, false, null), c -> c.exchangeDeclarePassive(name));
    }

    private static Declaration queue(String name, Map<String, Object> arguments) {
        return new Declaration("queue " + name, c -> c.queueDeclare(name, true, false, false, arguments),
                c -> c.queueDeclareNoWait(name, true, false, false, arguments), c -> c.queueDeclarePassive(name));
    }

    private static Declaration binding(String queue, String exchange, String key) {
        return new Declaration("binding " + exchange + " -> " + queue, c -> c.queueBind(queue, exchange, key),
                c -> c.queueBindNoWait(queue, exchange, key, null), null);
    }

    /** The delay queue holding a pool's tasks for {@code delay} before they go back to the pool's queue. */
    public static String retryQueue(String pool, java.time.Duration delay) {
        return RETRY_QUEUE_PREFIX + requireValidPool(pool) + "." + delay.toMillis() + "ms";
    }

    /**
     * Declares the delay queue for one retry step, bound to {@link #RETRY_EXCHANGE}: a quorum queue whose message TTL
     * dead-letters each task, at-least-once, back to the pool's queue through {@link #REQUEUE_EXCHANGE}. The delay is in the name,
     * so workers configured with other delays use other queues and never clash on arguments.
     */
    public static String declareRetryQueue(Channel channel, String pool, java.time.Duration delay) throws IOException {
        String queue = retryQueue(pool, delay);
        channel.queueDeclare(queue, true, false, false, retryQueueArguments(pool, delay));
        channel.queueBind(queue, RETRY_EXCHANGE, queue);
        return queue;
    }

    static Map<String, Object> retryQueueArguments(String pool, java.time.Duration delay) {
        return Map.of(
                "x-queue-type", "quorum",
                "x-message-ttl", delay.toMillis(),
                "x-dead-letter-exchange", REQUEUE_EXCHANGE,
                "x-dead-letter-routing-key", requireValidPool(pool),
                "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish");
    }

    /**
     * A quorum queue with an explicit delivery limit (a task that kills its worker every time stops after
     * this many deliveries) whose dead letters go at-least-once to {@link #DEAD_LETTER_QUEUE}; RabbitMQ
     * only dead-letters at-least-once with overflow reject-publish.
     */
    public static Map<String, Object> taskQueueArguments() {
        return Map.of(
                "x-queue-type", "quorum",
                "x-delivery-limit", DELIVERY_LIMIT,
                "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", DEAD_LETTER_QUEUE,
                "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish");
    }
}
