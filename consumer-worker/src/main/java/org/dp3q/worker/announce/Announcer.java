package org.dp3q.worker.announce;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.dp3q.broker.topology.Topology;
import org.dp3q.codec.Json;
import org.dp3q.worker.health.WorkerCondition;
import org.dp3q.workers.WorkerAnnouncement;
import org.dp3q.workers.WorkerAnnouncement.SlotActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells {@code dp3q status} every few seconds that this worker lives and what its slots run. Best effort. */
public final class Announcer {
    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

    private final Connection connection;
    private final String host;
    private final long pid;
    private final String tag;
    private final String pool;
    private final int slots;
    private final Duration interval;
    private final Supplier<List<SlotActivity>> busy;
    private final Supplier<WorkerCondition> condition;
    private volatile String state = "running";
    private volatile String logsUrl;
    private volatile String logDir;
    private Channel channel;

    public Announcer(Connection connection, String host, String tag, String pool, int slots, Duration interval,
                     Supplier<List<SlotActivity>> busy, Supplier<WorkerCondition> condition) {
        this.connection = connection;
        this.host = host;
        this.pid = ProcessHandle.current().pid();
        this.tag = tag;
        this.pool = pool;
        this.slots = slots;
        this.interval = interval;
        this.busy = busy;
        this.condition = condition;
    }

    /** Tells at once, e.g. that the worker was quarantined or resumed. */
    public void now() {
        announce();
    }

    public void start(ScheduledExecutorService timer) {
        timer.scheduleWithFixedDelay(this::announce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Tells readers where this worker serves the logs it writes under {@code dir}: {@code url} + relative path. */
    public void servesLogs(String url, String dir) {
        logsUrl = url;
        logDir = dir;
    }

    public void draining() {
        state = "draining";
        announce();
    }

    public void stopped() {
        state = "stopped";
        announce();
    }

    private synchronized void announce() {
        WorkerCondition now = condition.get();
        String told = state.equals("running") && now.quarantined() ? "quarantined" : state;
        WorkerAnnouncement announcement = new WorkerAnnouncement(WorkerAnnouncement.SCHEMA, host, pid, tag, pool, slots,
                told, Instant.now().toString(), (int) Math.max(1, interval.toSeconds()), busy.get(), logsUrl, logDir,
                now.reason(), now.notConsuming());
        try {
            if (channel == null || !channel.isOpen()) {
                channel = connection.createChannel();
            }
            channel.basicPublish(Topology.WORKERS_EXCHANGE, Topology.WORKERS_STREAM,
                    new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                    Json.bytes(announcement));
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot announce this worker now: {}", e.toString());
        }
    }
}
