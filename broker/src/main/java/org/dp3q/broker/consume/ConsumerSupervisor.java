package org.dp3q.broker.consume;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.topology.Declaration;
import org.dp3q.broker.topology.TopologyDeclarer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one consumer subscribed: opens it on a channel of its own, and when the broker cancels it or closes its
 * channel, checks or declares what it consumes (as far as the user may: passive where configure is denied) and
 * subscribes again, with a backoff doubling up to {@link #MAX_DELAY}. A lost connection is left to the client's
 * recovery. What stops it consuming is told once, not at every try, and {@link #problem} says it meanwhile.
 * <p>
 * Reopening runs on the given executor, so an owner that must finish with its old channel first (settle a
 * delivery) runs it on the thread that does that.
 */
public final class ConsumerSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerSupervisor.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    /** Sets up a fresh channel (qos, confirms, listeners) and subscribes on it; returns the consumer tag. */
    @FunctionalInterface
    public interface Subscription {
        String subscribe(Channel channel) throws IOException;
    }

    private final String name;
    private final String queue;
    private final Connection connection;
    private final List<Declaration> topology;
    private final Subscription subscription;
    private final ScheduledExecutorService timer;
    private final Executor reopener;
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile String problem;
    private Duration delay = FIRST_DELAY;
    /**
     * Sends the cancels and waits for their answers. Its thread is started with the supervisor: a thread started
     * only at the cancel sent it a millisecond later, and a slot that had just given a task back met that same
     * task again from the broker before its cancel (WalltimeIT).
     */
    private final ThreadPoolExecutor canceller;

    /**
     * {@code name}: how logs call it, e.g. "slot 2"; {@code queue}: the queue it consumes; {@code topology}: the
     * objects that queue needs, checked or declared before each reopen.
     */
    public ConsumerSupervisor(String name, String queue, Connection connection, List<Declaration> topology,
                              Subscription subscription, ScheduledExecutorService timer, Executor reopener) {
        this.name = name;
        this.queue = queue;
        this.connection = connection;
        this.topology = topology;
        this.subscription = subscription;
        this.timer = timer;
        this.reopener = reopener;
        this.canceller = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, name + " cancel");
            thread.setDaemon(true);
            return thread;
        });
        canceller.prestartCoreThread();
    }

    /** The first subscription; fails as the broker does (the caller decides whether a worker can start without it). */
    public synchronized void open() throws IOException {
        Channel opened = connection.createChannel();
        opened.addShutdownListener(this::onShutdown);
        channel = opened;
        consumerTag = subscription.subscribe(opened);
        problem = null;
        delay = FIRST_DELAY;
    }

    /** The channel of the current subscription (a delivery's tag belongs to the channel it came on). */
    public Channel channel() {
        return channel;
    }

    /** True while subscribed and neither paused nor closed. */
    public boolean consuming() {
        Channel open = channel;
        return !paused && !closed && problem == null && consumerTag != null && open != null && open.isOpen();
    }

    /** Why it is not consuming although it should, or null. */
    public String problem() {
        return problem;
    }

    /** Stops taking messages (without waiting for the broker); what was delivered stays on the channel to be settled. */
    public synchronized void pause() {
        paused = true;
        cancelConsumer();
    }

    /** Takes messages again after {@link #pause}. */
    public synchronized void resume() {
        paused = false;
        if (!closed) {
            reopenSoon("resumed", Duration.ZERO);
        }
    }

    /**
     * Takes no more messages, for good, without waiting for the broker; the channel stays open for what is being
     * settled.
     */
    public synchronized void stop() {
        closed = true;
        cancelConsumer();
    }

    /** The broker cancelled the consumer (queue deleted, leader moved): subscribe again. Call from handleCancel. */
    public void cancelledByBroker() {
        consumerTag = null;
        if (!closed && !paused) {
            reopenSoon("the broker cancelled the consumer", delay);
        }
    }

    /**
     * Subscribes again on a new channel, e.g. after the client recovered the connection but could not recover the
     * consumer (a stream not yet ready after a broker restart).
     */
    public void resubscribe(String why) {
        consumerTag = null;
        if (!closed && !paused) {
            reopenSoon(why, FIRST_DELAY);
        }
    }

    /**
     * Sends the cancel and does not wait for the broker's answer: a broker that does not answer (a network partition,
     * a resource alarm, a hung node) would hold the caller until the client's RPC timeout, 10 minutes, and a draining
     * worker's clock would not start. The client forgets the consumer before it sends the cancel, so a recovered
     * connection does not subscribe it again; a delivery that raced with the cancel still reaches the consumer.
     */
    private void cancelConsumer() {
        Channel open = channel;
        String tag = consumerTag;
        consumerTag = null;
        if (open == null || !open.isOpen() || tag == null) {
            return;
        }
        canceller.execute(() -> cancel(open, tag));
    }

    private void cancel(Channel open, String tag) {
        try {
            open.basicCancel(tag);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: cancelling the consumer: {}", name, e.toString());
        }
    }

    private void onShutdown(ShutdownSignalException cause) {
        if (cause.isInitiatedByApplication() || closed) {
            return;
        }
        consumerTag = null;
        if (!cause.isHardError() && !paused) {
            // the client recovers connections, not channels closed by a channel-level error
            reopenSoon("its channel closed: " + cause.getMessage(), delay);
        }
    }

    private void reopenSoon(String why, Duration after) {
        LOG.debug("{}: subscribing again in {} ms: {}", name, after.toMillis(), why);
        timer.schedule(() -> reopener.execute(this::reopen), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reopen() {
        synchronized (this) {
            if (closed || paused || consuming()) {
                return;
            }
        }
        Channel old = channel;
        try {
            if (old != null && old.isOpen()) {
                old.abort();
            }
            TopologyDeclarer.declareOrCheck(connection, topology);
            open();
            LOG.info("{}: consuming {} again", name, queue);
        } catch (IOException | RuntimeException e) {
            String now = describe(e);
            if (!now.equals(problem)) {
                LOG.error("{}: cannot consume: {}; trying again, backing off up to {} s", name, now, MAX_DELAY.toSeconds());
            }
            problem = now;
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            reopenSoon(now, delay);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof IOException io && TopologyDeclarer.replyCode(io) == 403) {
            return "the broker user lacks a permission (" + io.getCause().getMessage() + ")";
        }
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        return e.getCause() instanceof ShutdownSignalException signal ? signal.getMessage() : message;
    }
}
