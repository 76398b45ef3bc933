package org.dp3q.worker.idle;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --idle-exit}: stops the worker (a drain with nothing to drain, exit 0) once its pool's queue has had no
 * ready task and its slots have run nothing for the given time, so a SLURM job started for a burst of work ends by
 * itself when the work is done. A look that cannot reach the broker counts as busy: a worker never leaves because
 * the broker was away.
 */
public final class IdleExit {
    private static final Logger LOG = LoggerFactory.getLogger(IdleExit.class);
    private static final Duration MAX_LOOK_EVERY = Duration.ofSeconds(1);

    private final Connection connection;
    private final String queue;
    private final Duration limit;
    private final BooleanSupplier anySlotBusy;
    private final Runnable stop;
    private final IdleClock clock;
    private Channel channel;
    private boolean stopped;

    public IdleExit(Connection connection, String queue, Duration limit, BooleanSupplier anySlotBusy, Runnable stop) {
        this.connection = connection;
        this.queue = queue;
        this.limit = limit;
        this.anySlotBusy = anySlotBusy;
        this.stop = stop;
        this.clock = new IdleClock(limit);
    }

    public void start(ScheduledExecutorService timer) {
        long every = Math.max(100, Math.min(MAX_LOOK_EVERY.toMillis(), limit.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void look() {
        if (stopped) {
            return;
        }
        // busy before and after the count: a slot may take the last ready task in between
        boolean idle = !anySlotBusy.getAsBoolean() && readyTasks() == 0 && !anySlotBusy.getAsBoolean();
        if (clock.observe(idle, System.nanoTime())) {
            stopped = true;
            LOG.info("idle for {} s: no ready task in {} and no slot busy; stopping (--idle-exit)", limit.toSeconds(), queue);
            stop.run();
        }
    }

    /** Ready tasks in the pool's queue, or -1 when the broker cannot tell now. */
    private long readyTasks() {
        try {
            if (channel == null || !channel.isOpen()) {
                channel = connection.createChannel();
            }
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot count the ready tasks of {} now: {}", queue, e.toString());
            return -1;
        }
    }
}
