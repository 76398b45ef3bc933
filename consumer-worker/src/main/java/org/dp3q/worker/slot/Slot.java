package org.dp3q.worker.slot;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dp3q.broker.consume.ConsumerSupervisor;
import org.dp3q.broker.publish.RoutedChannel;
import org.dp3q.event.AttemptEnding;
import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.worker.process.StopCause;
import org.dp3q.workers.WorkerAnnouncement.SlotActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer with prefetch 1 on its own channel: the broker never hands it a second task while the first
 * is unacked, so a slot runs at most one subprocess. Subprocesses start on the slot's own long-lived thread,
 * which their parent-death signal is tied to. A {@link ConsumerSupervisor} keeps it subscribed; it reopens on
 * the slot thread, after the delivery in hand is settled.
 */
public final class Slot {
    private static final Logger LOG = LoggerFactory.getLogger(Slot.class);
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final SlotIdentity identity;
    private final TaskHandler handler;
    private final ExecutorService runner;
    private final java.util.concurrent.Executor stops;
    private final ConsumerSupervisor supervisor;
    private final SlotQueue source;
    /** The slot's own thread, once its runner has started it. */
    private volatile Thread thread;
    private volatile ActiveDelivery current;
    private volatile boolean stopping;
    private volatile boolean paused;
    private final Object deliveryLock = new Object();
    /** Counts channel shutdowns; a delivery from before the latest one belongs to a dead channel. */
    private long channelEpoch;
    /** Counted down when the current consumer can be handed no more deliveries (see {@link #close}). */
    private volatile CountDownLatch consumerDone = new CountDownLatch(0);

    Slot(SlotIdentity identity, Connection connection, SlotQueue source, TaskHandler handler,
         ScheduledExecutorService timer, java.util.concurrent.Executor stops) {
        this.identity = identity;
        this.handler = handler;
        this.stops = stops;
        this.source = source;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            thread = new Thread(r, source.thread());
            thread.setDaemon(false);
            return thread;
        });
        this.supervisor = new ConsumerSupervisor("slot " + identity.slot(), source.queue(), connection, source.topology(),
                channel -> subscribe(channel, source.queue()), timer, runner);
    }

    public int index() {
        return identity.slot();
    }

    public void open() throws IOException {
        // the first task's start, too, finds its guardian ready
        runner.execute(handler::readyForNext);
        supervisor.open();
    }

    private String subscribe(Channel channel, String queue) throws IOException {
        RoutedChannel routed = source.route(channel);
        channel.basicQos(1);
        channel.addShutdownListener(this::onChannelShutdown);
        CountDownLatch done = new CountDownLatch(1);
        consumerDone = done;
        return channel.basicConsume(queue, false, "dp3q." + identity.tag() + "." + identity.pid() + ".slot" + identity.slot(),
                new SlotConsumer(routed, done));
    }

    /**
     * No new task from now on; what runs goes on. Called on the slot's own thread, which gives back the task in hand
     * next (the walltime's last refusal), it waits up to {@link #CANCEL_WAIT} for the broker to take the cancel: acked
     * before that, the task's copy could come back to this very consumer and be returned counted when the worker
     * left (WalltimeIT failed so once in a fresh-clone run).
     */
    public void stopConsuming() {
        stopping = true;
        supervisor.stop();
        if (Thread.currentThread() == thread) {
            try {
                if (!consumerDone.await(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("slot {}: the broker did not confirm the consumer's cancel within {} s", identity.slot(),
                            CANCEL_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes no new task until {@link #resume}: the worker is quarantined. */
    public void pause() {
        paused = true;
        supervisor.pause();
    }

    public void resume() {
        paused = false;
        supervisor.resume();
    }

    /** True while subscribed; false when paused, draining or unable to consume (see {@link #problem}). */
    public boolean consuming() {
        return supervisor.consuming();
    }

    /** Why this slot cannot consume although it should, or null. */
    public String problem() {
        return supervisor.problem();
    }

    public boolean isBusy() {
        return current != null;
    }

    /** What this slot runs now, for announcements and metrics; empty when idle. */
    public Optional<SlotActivity> activity() {
        ActiveDelivery active = current;
        if (active == null || active.task() == null || active.process() == null) {
            return Optional.empty();
        }
        var task = active.task();
        var process = active.process();
        var usage = process.usage();
        return Optional.of(new SlotActivity(identity.slot(), task.taskId(), task.batch(), task.chunk(),
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

    /**
     * Waits until {@code deadline} at most for the slot thread to finish its last delivery, then closes the channel.
     * A second stop request ends the waits (see {@link StopDeadline}). A delivery the broker sent
     * before it took the cancel may still be on its way to the consumer when the cancel is sent; the client hands
     * it over before it reports the cancel done, so the slot thread is kept until then and refuses it as drained
     * (returned uncounted). Shut down earlier, the slot thread would reject it, the client would close the channel,
     * and the broker would count a delivery that never ran. A broker that has answered neither the cancel nor the
     * last outcome by the deadline is not asked to close the channel either (the client would wait 10 s for that
     * answer too): closing the connection ends it, and the broker gives back what is unsettled.
     */
    public void close(StopDeadline deadline) throws InterruptedException {
        stopConsuming();
        boolean cancelled = deadline.await(consumerDone::await);
        if (!cancelled) {
            LOG.warn("slot {}: the broker did not confirm the consumer's cancel; leaving the channel to the"
                    + " connection's close", identity.slot());
        }
        if (!runner.isShutdown()) {
            // its last act: the slot thread's guardian takes no more commands
            runner.execute(handler::release);
            runner.shutdown();
        }
        boolean settled = deadline.await(runner::awaitTermination);
        if (!settled) {
            LOG.warn("slot {}: the outcome of its last task was not recorded in time; the broker gives the task back"
                    + " when the connection closes", identity.slot());
        }
        if (!cancelled || !settled) {
            return;
        }
        try {
            Channel open = supervisor.channel();
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
            current = active;
        }
        // a delivery that raced with the drain's or the quarantine's cancel goes back unrun, uncounted
        AttemptEnding refusal = stopping ? AttemptEnding.DRAINED : paused ? AttemptEnding.REFUSED_QUARANTINED : null;
        try {
            handler.handle(active, refusal);
        } catch (RuntimeException e) {
            // a fault of ours, not of the broker: hand the task back so the slot is free; the delivery limit
            // ends a task that trips it every time in the failed queue
            LOG.error("slot {}: unexpected error on message {}; returning it to the queue", identity.slot(),
                    delivery.messageId(), e);
            requeue(delivery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(delivery);
        } catch (Exception e) {
            // not confirmed, not routed, or the channel is gone: not acked, so the task comes back
            LOG.error("slot {}: could not record the outcome of message {}; it goes back to the queue: {}",
                    identity.slot(), delivery.messageId(), e.toString());
            requeue(delivery);
        } finally {
            current = null;
        }
        handler.readyForNext();
    }

    private void requeue(Delivery delivery) {
        try {
            OutcomeRecorder.requeueCounted(delivery);
        } catch (IOException | RuntimeException e) {
            LOG.warn("slot {}: could not return message {}: {}", identity.slot(), delivery.messageId(), e.toString());
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
            // off the client's thread: killing a group may scan /proc
            stops.execute(() -> lose(active, why));
        } else {
            LOG.warn("slot {}: channel closed ({})", identity.slot(), why);
        }
    }

    private void onConsumerCancelled() {
        ActiveDelivery active = current;
        if (active != null) {
            stops.execute(() -> lose(active, "the broker cancelled the consumer"));
        }
        if (!stopping && !paused) {
            LOG.warn("slot {}: the broker cancelled the consumer; subscribing again", identity.slot());
        }
        supervisor.cancelledByBroker();
    }

    private void lose(ActiveDelivery active, String why) {
        if (active.goesOnUnderClaim(why)) {
            LOG.warn("slot {}: lost the delivery of message {} ({}); its run goes on under its claim (lease until"
                    + " boot-clock {} ms)", identity.slot(), active.delivery().messageId(), why, active.claim().leaseEndMs());
            return;
        }
        // said before it is done: whoever sees the group gone finds the reason in the log already
        LOG.warn("slot {}: lost the delivery of message {} ({}); {}", identity.slot(), active.delivery().messageId(), why,
                active.process() == null ? "it had not started: nothing runs" : "killing its subprocess group");
        active.stop(StopCause.DELIVERY_LOST, why);
    }

    private final class SlotConsumer extends DefaultConsumer {
        private final RoutedChannel routed;
        private final CountDownLatch done;

        SlotConsumer(RoutedChannel routed, CountDownLatch done) {
            super(routed.channel());
            this.routed = routed;
            this.done = done;
        }

        /** Called after every delivery that came before the cancel's confirmation. */
        @Override
        public void handleCancelOk(String tag) {
            done.countDown();
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException cause) {
            done.countDown();
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            Delivery delivery = new Delivery(routed, envelope.getDeliveryTag(), envelope.isRedeliver(), properties, body);
            long epoch;
            synchronized (deliveryLock) {
                epoch = channelEpoch;
            }
            runner.execute(() -> onDelivery(delivery, epoch));
        }

        @Override
        public void handleCancel(String tag) {
            done.countDown();
            onConsumerCancelled();
        }
    }
}
