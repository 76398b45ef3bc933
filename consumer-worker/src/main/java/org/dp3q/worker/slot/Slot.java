package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.topology.Topology;
import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.workers.WorkerAnnouncement.SlotActivity;
import org.dp3q.worker.process.StopCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer with prefetch 1 on its own channel: the broker never hands it a second task while the first
 * is unacked, so a slot runs at most one subprocess. Subprocesses start on the slot's own long-lived thread,
 * which their parent-death signal is tied to.
 */
public final class Slot {
    private static final Logger LOG = LoggerFactory.getLogger(Slot.class);
    private static final Duration REOPEN_DELAY = Duration.ofSeconds(2);

    private final SlotIdentity identity;
    private final Connection connection;
    private final String queue;
    private final TaskHandler handler;
    private final ExecutorService runner;
    private final ScheduledExecutorService reopener;
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile ActiveDelivery current;
    private volatile boolean stopping;
    private final Object deliveryLock = new Object();
    /** Counts channel shutdowns; a delivery from before the latest one belongs to a dead channel. */
    private long channelEpoch;

    Slot(SlotIdentity identity, Connection connection, String pool, TaskHandler handler, ScheduledExecutorService reopener) {
        this.identity = identity;
        this.connection = connection;
        this.queue = Topology.taskQueue(pool);
        this.handler = handler;
        this.reopener = reopener;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "slot-" + identity.slot());
            thread.setDaemon(false);
            return thread;
        });
    }

    public int index() {
        return identity.slot();
    }

    public synchronized void open() throws IOException {
        Channel opened = connection.createChannel();
        opened.confirmSelect();
        opened.basicQos(1);
        opened.addShutdownListener(this::onChannelShutdown);
        consumerTag = opened.basicConsume(queue, false, "dp3q." + identity.tag() + "." + identity.pid() + ".slot" + identity.slot(),
                new SlotConsumer(opened));
        channel = opened;
    }

    /** No new task from now on; what runs goes on. */
    public void stopConsuming() {
        stopping = true;
        Channel open = channel;
        try {
            if (open != null && open.isOpen() && consumerTag != null) {
                open.basicCancel(consumerTag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("slot {}: cancelling the consumer: {}", identity.slot(), e.toString());
        }
    }

    public boolean isBusy() {
        return current != null;
    }

    /** What this slot runs now, for announcements and metrics; empty when idle. */
    public java.util.Optional<SlotActivity> activity() {
        ActiveDelivery active = current;
        if (active == null || active.task() == null || active.process() == null) {
            return java.util.Optional.empty();
        }
        var task = active.task();
        var process = active.process();
        var usage = process.usage();
        return java.util.Optional.of(new SlotActivity(identity.slot(), task.taskId(), task.batch(), task.chunk(),
                active.delivery().attempt(), process.started().toString(), usage.cpuMs(), usage.maxRssKb()));
    }

    /** Kills the running subprocess if its task belongs to a batch now cancelled. */
    public void applyCancels(CancelledBatches cancelled) {
        ActiveDelivery active = current;
        if (active != null && active.task() != null && cancelled.covers(active.task())) {
            active.stop(StopCause.CANCELLED, "its batch was cancelled");
        }
    }

    /** Stops the running subprocess, if any, for {@code cause}. */
    public void stopRunning(StopCause cause, String why) {
        ActiveDelivery active = current;
        if (active != null) {
            active.stop(cause, why);
        }
    }

    /** Waits for the slot thread to finish its last delivery, then closes the channel. */
    public void close(Duration wait) throws InterruptedException {
        stopping = true;
        runner.shutdown();
        runner.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Channel open = channel;
            if (open != null && open.isOpen()) {
                open.close();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            LOG.debug("slot {}: closing the channel: {}", identity.slot(), e.toString());
        }
    }

    private void onDelivery(Delivery delivery, long epoch) {
        ActiveDelivery active = new ActiveDelivery(delivery);
        synchronized (deliveryLock) {
            if (epoch != channelEpoch) {
                LOG.warn("slot {}: message {} was delivered on a channel that has since closed; not running it",
                        identity.slot(), delivery.messageId());
                return;
            }
            if (stopping) {
                giveBack(delivery);
                return;
            }
            current = active;
        }
        try {
            handler.handle(active);
        } catch (RuntimeException e) {
            // a fault of ours, not of the broker: hand the task back so the slot is free; the delivery limit
            // ends a task that trips it every time in the failed queue
            LOG.error("slot {}: unexpected error on message {}; returning it to the queue", identity.slot(),
                    delivery.messageId(), e);
            requeue(delivery);
        } catch (Exception e) {
            // the channel is gone or the broker did not confirm: the delivery was not acked and returns to the queue
            LOG.error("slot {}: could not record the outcome of message {}; the broker will deliver it again: {}",
                    identity.slot(), delivery.messageId(), e.toString());
        } finally {
            current = null;
        }
    }

    private void requeue(Delivery delivery) {
        try {
            if (delivery.channel().isOpen()) {
                delivery.channel().basicNack(delivery.tag(), false, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("slot {}: could not return message {}: {}", identity.slot(), delivery.messageId(), e.toString());
        }
    }

    /** A delivery that raced with the drain's cancel goes back to the queue unrun. */
    private void giveBack(Delivery delivery) {
        LOG.info("slot {}: draining; message {} goes back to the queue unrun", identity.slot(), delivery.messageId());
        try {
            delivery.channel().basicReject(delivery.tag(), true);
        } catch (IOException | RuntimeException e) {
            LOG.debug("slot {}: giving back message {}: {}", identity.slot(), delivery.messageId(), e.toString());
        }
    }

    private void onChannelShutdown(ShutdownSignalException cause) {
        ActiveDelivery active;
        synchronized (deliveryLock) {
            // also when we closed it ourselves: a delivery still queued for the slot thread is void now
            channelEpoch++;
            active = current;
        }
        if (cause.isInitiatedByApplication()) {
            return;
        }
        String why = ShutdownReasons.describe(cause);
        if (active != null) {
            LOG.warn("slot {}: lost the delivery of message {} ({}); killing its subprocess group",
                    identity.slot(), active.delivery().messageId(), why);
            active.stop(StopCause.DELIVERY_LOST, why);
        } else {
            LOG.warn("slot {}: channel closed ({})", identity.slot(), why);
        }
        if (!cause.isHardError() && !stopping) {
            // the client recovers connections, not channels closed by a channel-level error
            scheduleReopen();
        }
    }

    private void onConsumerCancelled() {
        ActiveDelivery active = current;
        if (active != null) {
            active.stop(StopCause.DELIVERY_LOST, "the broker cancelled the consumer");
        }
        if (!stopping) {
            LOG.warn("slot {}: the broker cancelled the consumer; subscribing again", identity.slot());
            scheduleReopen();
        }
    }

    private void scheduleReopen() {
        reopener.schedule(() -> {
            if (stopping) {
                return;
            }
            try {
                Channel old = channel;
                if (old != null && old.isOpen()) {
                    old.abort();
                }
                declareQueue();
                open();
                LOG.info("slot {}: consuming {} again", identity.slot(), queue);
            } catch (IOException | RuntimeException e) {
                LOG.warn("slot {}: cannot reopen its channel yet ({}); trying again", identity.slot(), e.toString());
                scheduleReopen();
            }
        }, REOPEN_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A consumer cancelled because its queue was deleted finds it declared again, not gone for good. */
    private void declareQueue() throws IOException {
        try (Channel declaring = connection.createChannel()) {
            Topology.declarePool(declaring, queue.substring(Topology.TASK_QUEUE_PREFIX.length()));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    private final class SlotConsumer extends DefaultConsumer {
        SlotConsumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            Delivery delivery = new Delivery(getChannel(), envelope.getDeliveryTag(), properties, body);
            long epoch;
            synchronized (deliveryLock) {
                epoch = channelEpoch;
            }
            runner.execute(() -> onDelivery(delivery, epoch));
        }

        @Override
        public void handleCancel(String tag) {
            onConsumerCancelled();
        }
    }
}
