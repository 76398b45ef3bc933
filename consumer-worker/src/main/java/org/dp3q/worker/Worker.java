package org.dp3q.worker;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.dp3q.broker.connect.BrokerConnector;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.broker.topology.TopologyDeclarer;
import org.dp3q.worker.config.WorkerSettings;
import org.dp3q.worker.process.StopCause;
import org.dp3q.worker.process.SubprocessLauncher;
import org.dp3q.worker.slot.Slot;
import org.dp3q.worker.slot.SlotFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker process: one connection, N slots, and a graceful drain on the first stop request. */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration LONG_ENOUGH_FOR_A_KILL = Duration.ofSeconds(30);

    private final WorkerSettings settings;
    private final List<Slot> slots = new ArrayList<>();
    private final CountDownLatch drainRequested = new CountDownLatch(1);
    private final CountDownLatch hurryRequested = new CountDownLatch(1);
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "worker-maintenance");
        thread.setDaemon(true);
        return thread;
    });
    private Connection connection;

    public Worker(WorkerSettings settings) {
        this.settings = settings;
    }

    /** Connects (waiting while the broker is down), declares the topology and starts every slot. */
    public void start() throws BrokerUnavailableException, IOException {
        BrokerConnector connector = new BrokerConnector(settings.broker());
        connection = connector.connect("dp3q-worker " + settings.tag());
        TopologyDeclarer.declare(connection, java.util.List.of(settings.pool()));
        SubprocessLauncher launcher = new SubprocessLauncher(settings.killGrace());
        if (!launcher.diesWithWorker()) {
            LOG.warn("util-linux setpriv not found: subprocesses will not die with a killed worker");
        }
        SlotFactory factory = new SlotFactory(settings, connection, launcher, maintenance);
        for (int i = 0; i < settings.slots(); i++) {
            Slot slot = factory.create(i);
            slot.open();
            slots.add(slot);
        }
        LOG.info("worker {} consuming {} with {} slot(s) on {}; tools {}", settings.tag(), Topology.taskQueue(settings.pool()),
                settings.slots(), settings.broker().maskedUri(), settings.tools().asMap());
    }

    /** First call: drain. Second call: stop waiting for running subprocesses. */
    public void requestStop() {
        if (drainRequested.getCount() > 0) {
            drainRequested.countDown();
        } else {
            hurryRequested.countDown();
        }
    }

    /** Blocks until a stop is requested, then drains: no new task, running ones get {@code --drain-timeout}. */
    public void runUntilStopped() throws InterruptedException {
        drainRequested.await();
        slots.forEach(Slot::stopConsuming);
        long busy = slots.stream().filter(Slot::isBusy).count();
        LOG.info("draining: no new tasks; waiting up to {} s for {} running subprocess(es)",
                settings.drainTimeout().toSeconds(), busy);
        Instant deadline = Instant.now().plus(settings.drainTimeout());
        while (slots.stream().anyMatch(Slot::isBusy) && Instant.now().isBefore(deadline)
                && hurryRequested.getCount() > 0) {
            hurryRequested.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        for (Slot slot : slots) {
            slot.stopRunning(StopCause.DRAINED, "the worker was draining and its --drain-timeout ran out");
        }
        for (Slot slot : slots) {
            slot.close(settings.killGrace().plus(LONG_ENOUGH_FOR_A_KILL));
        }
        close();
        LOG.info("worker {} drained and stopped", settings.tag());
    }

    private void close() {
        maintenance.shutdownNow();
        try {
            if (connection != null && connection.isOpen()) {
                connection.close(5_000);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the connection: {}", e.toString());
        }
    }
}
