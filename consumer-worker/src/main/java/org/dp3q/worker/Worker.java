package org.dp3q.worker;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.dp3q.broker.connect.BrokerConnector;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.broker.topology.TopologyDeclarer;
import org.dp3q.worker.announce.Announcer;
import org.dp3q.worker.claim.Claims;
import org.dp3q.event.WorkerRef;
import org.dp3q.worker.config.WorkerSettings;
import org.dp3q.worker.deadletter.DeadLetterMover;
import org.dp3q.worker.idle.IdleExit;
import org.dp3q.worker.process.ExecWrapper;
import org.dp3q.worker.process.Guardian;
import org.dp3q.worker.process.LeftoverReaper;
import org.dp3q.worker.process.LeftoverSweeper;
import org.dp3q.worker.process.RunRegistry;
import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.worker.control.ControlListener;
import org.dp3q.worker.metrics.BrokerLink;
import org.dp3q.worker.logs.LogDirectory;
import org.dp3q.worker.metrics.MonitoringServer;
import org.dp3q.worker.metrics.WorkerMetrics;
import org.dp3q.worker.process.ProcSampler;
import org.dp3q.worker.process.StopCause;
import org.dp3q.worker.process.SubprocessLauncher;
import org.dp3q.worker.slot.SlotRehearsal;
import org.dp3q.worker.slot.TaskPathWarmUp;
import org.dp3q.worker.slot.Slot;
import org.dp3q.worker.slot.SlotContext;
import org.dp3q.worker.slot.SlotFactory;
import org.dp3q.worker.health.Quarantine;
import org.dp3q.worker.health.WalltimeAdmission;
import org.dp3q.worker.health.WorkerCondition;
import org.dp3q.worker.health.WorkerFitness;
import org.dp3q.worker.metrics.ConditionLink;
import org.dp3q.worker.slot.SlotIdentity;
import org.dp3q.worker.slot.StopDeadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker process: one connection, N slots, and a graceful drain on the first stop request. */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration LONG_ENOUGH_FOR_A_KILL = Duration.ofSeconds(30);

    private final WorkerSettings settings;
    private final List<Slot> slots = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CountDownLatch drainRequested = new CountDownLatch(1);
    private final CountDownLatch hurryRequested = new CountDownLatch(1);
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "worker-maintenance");
        thread.setDaemon(true);
        return thread;
    });
    /** Stops and kills subprocesses off the broker client's threads (a cancel, a lost channel). */
    private final ExecutorService stops = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "worker-stops");
        thread.setDaemon(true);
        return thread;
    });
    private ProcSampler sampler;
    private final LeftoverSweeper sweeper = new LeftoverSweeper();
    private Connection connection;
    private Announcer announcer;
    private MonitoringServer monitoring;
    private DeadLetterMover deadLetters;
    private Guardian guardian;
    private SubprocessLauncher launcher;
    private Claims claims;
    private volatile WorkerFitness fitness;

    public Worker(WorkerSettings settings) {
        this.settings = settings;
    }

    /** Connects (waiting while the broker is down), declares the topology and starts every slot. */
    public void start() throws BrokerUnavailableException, IOException {
        // a slot's first tasks would build and compile it, between their deliveries and their starts
        TaskPathWarmUp warmUp = TaskPathWarmUp.begin();
        // before anything else: an earlier crash's leftovers may still be writing a chunk's outputs
        RunRegistry registry = RunRegistry.under(settings.logDir(), SlotIdentity.localHost(), settings.tag());
        int reaped = LeftoverReaper.reap(registry);
        if (reaped > 0) {
            LOG.warn("worker {} killed {} process group(s) left running by its own earlier crash", settings.tag(), reaped);
        }
        BrokerConnector connector = new BrokerConnector(settings.broker());
        // declares what this broker user may and checks the rest exists (least-privilege users declare nothing)
        connection = connector.connect("dp3q-worker " + settings.tag(),
                channel -> TopologyDeclarer.declare(channel.getConnection(), java.util.List.of(settings.pool())));
        ExecWrapper wrapper = ExecWrapper.detect(settings.logDir().resolve(".dp3q"));
        if (!wrapper.diesWithWorker()) {
            LOG.warn("util-linux setpriv not found: subprocesses will not die with a killed worker");
        }
        LOG.info("subprocesses start through {}", wrapper.description());
        guardian = Guardian.forWorker(wrapper, settings.guardTimeout(), connection.getHeartbeat(),
                settings.logDir().resolve(".dp3q").resolve("guard")).orElse(null);
        // a guardian measures each run as it ends: sampling then only feeds the live figures
        sampler = new ProcSampler(guardian != null ? ProcSampler.LIVE : ProcSampler.EXACT);
        launcher = new SubprocessLauncher(settings.killGrace(), wrapper, sampler, sweeper, registry,
                guardian);
        WorkerMetrics metrics = startMetrics();
        CancelledBatches cancelled = new CancelledBatches();
        Quarantine quarantine = new Quarantine(settings.quarantine().after(), settings.quarantine().lasting(), maintenance);
        WalltimeAdmission walltime = new WalltimeAdmission(settings.endTime(), settings.drainTimeout(), Clock.systemUTC());
        claims = Claims.forWorker(settings.claimLease(), guardian != null, SlotIdentity.localHost() + "/"
                + ProcessHandle.current().pid() + "/" + settings.tag(), connection, maintenance).orElse(null);
        SlotContext slotContext = new SlotContext(cancelled, metrics, quarantine, walltime, stops, connection,
                java.util.Optional.ofNullable(claims));
        SlotFactory factory = new SlotFactory(settings, connection, launcher, maintenance, slotContext);
        for (int i = 0; i < settings.slots(); i++) {
            slots.add(factory.create(i));
        }
        ControlListener.start(connection, cancelled,
                command -> stops.execute(() -> slots.forEach(slot -> slot.applyCancels(cancelled))));
        warmUp.finish(launcher, settings.logDir(), tool -> SlotRehearsal.run(settings, slotContext, launcher, maintenance, tool));
        for (Slot slot : slots) {
            slot.open();
        }
        deadLetters = new DeadLetterMover(connection, new WorkerRef(SlotIdentity.localHost(),
                ProcessHandle.current().pid(), null, settings.tag()), maintenance);
        deadLetters.open();
        announcer = new Announcer(connection, SlotIdentity.localHost(), settings.tag(), settings.pool(), settings.slots(),
                settings.announceEvery(), () -> slots.stream().flatMap(slot -> slot.activity().stream()).toList(),
                this::condition);
        if (monitoring != null) {
            announcer.servesLogs(logsUrl(), settings.logDir().toString());
        }
        announcer.start(maintenance);
        fitness = new WorkerFitness(slots, quarantine, walltime, settings.quarantine().exit(), announcer,
                this::drainUnlessDraining);
        quarantine.listen(fitness);
        fitness.watchWalltime(maintenance);
        metrics.watchCondition(this::condition, () -> (int) slots.stream().filter(Slot::consuming).count());
        metrics.watch(settings.slots(), () -> (int) slots.stream().filter(Slot::isBusy).count(),
                () -> slots.stream().flatMap(slot -> slot.activity().stream()).mapToLong(a -> a.rssKb() * 1024).sum(),
                connection::isOpen);
        LOG.info("worker {} consuming {} with {} slot(s) on {}; tools {}", settings.tag(), Topology.taskQueue(settings.pool()),
                settings.slots(), settings.broker().maskedUri(), settings.tools().asMap());
    }

    private WorkerMetrics startMetrics() {
        if (settings.httpPort() == null) {
            return WorkerMetrics.inMemory();
        }
        monitoring = MonitoringServer.start(settings.httpPort(),
                new BrokerLink(settings.broker().maskedUri(), connection::isOpen), new ConditionLink(this::condition),
                new LogDirectory(settings.logDir()));
        LOG.info("health on http://localhost:{}/health, Prometheus metrics on /prometheus, attempt logs at {}",
                monitoring.port(), logsUrl());
        return new WorkerMetrics(monitoring.registry());
    }

    /** Drains and stops the worker once its pool and its slots have been idle for {@code limit} ({@code --idle-exit}). */
    public void stopWhenIdle(Duration limit) {
        new IdleExit(connection, Topology.taskQueue(settings.pool()), limit, () -> slots.stream().anyMatch(Slot::isBusy),
                this::requestStop).start(maintenance);
    }

    /** Where this worker serves its attempt logs: a log's path relative to {@code --log-dir} follows it. */
    private String logsUrl() {
        return "http://" + SlotIdentity.localHost() + ":" + monitoring.port() + "/logs/";
    }

    /** True when the worker stopped because it was quarantined with --exit-on-quarantine. */
    public boolean quarantined() {
        return fitness != null && fitness.exitedForQuarantine();
    }

    private WorkerCondition condition() {
        return fitness == null ? WorkerCondition.FINE : fitness.condition();
    }

    /** Asks for a drain unless one is under way; false when one was. */
    private boolean drainUnlessDraining() {
        if (drainRequested.getCount() == 0) {
            return false;
        }
        requestStop();
        return true;
    }

    /** True once a second stop request came: stop waiting for subprocesses and for the broker. */
    private boolean hurried() {
        return hurryRequested.getCount() == 0;
    }

    /** First call: drain. Second call: stop waiting for running subprocesses. */
    public void requestStop() {
        if (drainRequested.getCount() > 0) {
            // the cancels go out from here, at once, not when the draining thread wakes: a slot that asked to stop
            // and then gives its task back must not be handed that same task again before its cancel (WalltimeIT)
            slots.forEach(Slot::stopConsuming);
            drainRequested.countDown();
        } else {
            hurryRequested.countDown();
        }
    }

    /** Blocks until a stop is requested, then drains: no new task, running ones get {@code --drain-timeout}. */
    public void runUntilStopped() throws InterruptedException {
        drainRequested.await();
        slots.forEach(Slot::stopConsuming);
        announcer.draining();
        if (deadLetters != null) {
            deadLetters.stop();
        }
        long busy = slots.stream().filter(Slot::isBusy).count();
        LOG.info("draining: no new tasks; waiting up to {} s for {} running subprocess(es)",
                settings.drainTimeout().toSeconds(), busy);
        Instant deadline = Instant.now().plus(settings.drainTimeout());
        while (slots.stream().anyMatch(Slot::isBusy) && Instant.now().isBefore(deadline)
                && !hurried()) {
            hurryRequested.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        for (Slot slot : slots) {
            slot.stopRunning(StopCause.DRAINED, "the worker was draining and its --drain-timeout ran out");
        }
        // one deadline for all slots: a broker that does not answer must not hold the worker once per slot; a
        // second stop request ends the wait (a guardian ends its tool when its worker is gone)
        StopDeadline closeBy = new StopDeadline(Instant.now().plus(settings.killGrace()).plus(LONG_ENOUGH_FOR_A_KILL),
                this::hurried);
        for (Slot slot : slots) {
            slot.close(closeBy);
        }
        announcer.stopped();
        close();
        LOG.info("worker {} drained and stopped", settings.tag());
    }

    private void close() {
        maintenance.shutdownNow();
        stops.shutdown();
        if (sampler != null) {
            sampler.close();
        }
        sweeper.close();
        if (claims != null) {
            claims.close();
        }
        if (guardian != null) {
            guardian.close();
        }
        if (launcher != null) {
            launcher.close();
        }
        if (monitoring != null) {
            monitoring.close();
        }
        try {
            if (connection != null && connection.isOpen()) {
                // a second stop request waits on no broker
                connection.close(hurried() ? 500 : 5_000);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the connection: {}", e.toString());
        }
    }
}
