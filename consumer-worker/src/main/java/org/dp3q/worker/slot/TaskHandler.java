package org.dp3q.worker.slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.AttemptEnding;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.OutcomePolicy;
import org.dp3q.event.OutcomePolicy.Attempt;
import org.dp3q.event.Reason;
import org.dp3q.task.AttemptHeaders;
import org.dp3q.task.InvalidTaskException;
import org.dp3q.task.Task;
import org.dp3q.task.TaskCodec;
import org.dp3q.task.TaskIdentity;
import org.dp3q.worker.claim.Claim;
import org.dp3q.worker.claim.ClaimRecord;
import org.dp3q.worker.config.WorkerSettings;
import org.dp3q.worker.process.FileNames;
import org.dp3q.worker.process.LaunchSpec;
import org.dp3q.worker.process.ProcessOutcome;
import org.dp3q.worker.process.RunningProcess;
import org.dp3q.worker.process.StopCause;
import org.dp3q.worker.process.SubprocessLauncher;
import org.dp3q.worker.process.TreeUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one delivery from message to settled: check it, run it if it may, and carry out what
 * {@link OutcomePolicy} decides over how it ended.
 */
final class TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TaskHandler.class);
    private static final DateTimeFormatter LOG_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private final WorkerSettings settings;
    private final SlotIdentity identity;
    private final TaskCodec codec;
    private final SubprocessLauncher launcher;
    private final OutcomeRecorder recorder;
    private final SlotContext context;
    private final OutcomePolicy policy;
    private final ClaimGate gate;
    private final OutcomeActions actions;

    TaskHandler(WorkerSettings settings, SlotIdentity identity, SubprocessLauncher launcher, SlotContext context) {
        this.recorder = new OutcomeRecorder(context.metrics());
        this.settings = settings;
        this.identity = identity;
        this.codec = new TaskCodec(settings.maxTaskBytes());
        this.launcher = launcher;
        this.context = context;
        this.policy = new OutcomePolicy(settings.failedFast());
        DelayQueues delayQueues = new DelayQueues();
        this.actions = new OutcomeActions(identity, context.cancelled(), policy, recorder,
                new Retrier(settings.retry(), recorder, delayQueues));
        this.gate = context.claims().map(claims -> new ClaimGate(claims, identity.slot(), recorder, delayQueues))
                .orElse(null);
    }

    /** Runs the delivery if it may; {@code refusal} non-null: gives it back unrun for that reason. */
    void handle(ActiveDelivery active, AttemptEnding refusal) throws IOException, InterruptedException, TimeoutException {
        Delivery delivery = active.delivery();
        Task task;
        Path executable;
        try {
            task = codec.decode(delivery.body(), delivery.messageId());
            executable = TaskChecks.executableFor(settings.tools(), task);
            TaskChecks.checkWorkdir(task);
        } catch (InvalidTaskException e) {
            recordInvalid(delivery, e);
            return;
        }
        active.decoded(task);
        TaskIdentity id = TaskIdentity.of(task);
        if (delivery.lostRuns() > Topology.DELIVERY_LIMIT) {
            actions.carryOut(delivery, task, ended(AttemptEnding.DELIVERY_LIMIT, delivery, task, 0), null, null,
                    "its runs died with their worker " + delivery.lostRuns() + " times over its returns to the queue"
                            + " (x-delivery-limit=" + Topology.DELIVERY_LIMIT + "), e.g. it kills its worker every time");
            return;
        }
        if (context.cancelled().covers(task)) {
            actions.carryOut(delivery, task, ended(AttemptEnding.CANCELLED, delivery, task, 0), null, null,
                    "the batch was cancelled before this task ran");
            return;
        }
        if (task.skipsWhenOutputsExist() && task.outputsOrEmpty().stream().allMatch(p -> Files.exists(Path.of(p)))) {
            LOG.info("skipped task {} (batch {} chunk {}): all outputs exist", id.taskId(), id.batch(), id.chunk());
            recorder.settled(delivery, actions.event(EventType.SKIPPED, task, delivery.attempt()).build());
            return;
        }
        AttemptEnding refused = refusal != null ? refusal : refusalOf(task);
        if (refused != null) {
            actions.carryOut(delivery, task, ended(refused, delivery, task, 0), null, null, refusedBecause(refused, task));
            return;
        }
        run(active, task, executable);
    }

    /**
     * Makes sure the slot thread's guardian is ready for the next task, while the slot waits for the broker (see
     * {@link SubprocessLauncher#readyGuardian}): when the slot opens, and after a run whose group was killed.
     */
    void readyForNext() {
        launcher.readyGuardian();
    }

    /** Ends the slot thread's guardian: called on that thread when the slot closes. */
    void release() {
        launcher.releaseGuardian();
    }

    private AttemptEnding refusalOf(Task task) {
        if (context.quarantine().active()) {
            return AttemptEnding.REFUSED_QUARANTINED;
        }
        return context.walltime().admits(task) ? null : AttemptEnding.REFUSED_WALLTIME;
    }

    private void run(ActiveDelivery active, Task task, Path executable) throws IOException, InterruptedException, TimeoutException {
        Delivery delivery = active.delivery();
        Claim claim = null;
        if (gate != null) {
            claim = gate.admit(active, task);
            if (claim == null) {
                return;
            }
            active.claimed(claim);
        }
        try {
            String outcome = runClaimed(active, task, executable);
            if (claim != null && !claim.released()) {
                claim.release(outcome);
            }
        } finally {
            if (claim != null && !claim.released()) {
                claim.release(ClaimRecord.LOST);
            }
        }
    }

    /** Runs the tool and records its outcome; returns what the claim's release says of the run. */
    private String runClaimed(ActiveDelivery active, Task task, Path executable)
            throws IOException, InterruptedException, TimeoutException {
        Delivery delivery = active.delivery();
        int attempt = delivery.attempt();
        BatchIndexing.ensureIndexed(delivery, task.batch());
        Path log = logPath(task, delivery);
        Duration timeout = task.timeoutS() == null ? null : Duration.ofSeconds(task.timeoutS());
        LaunchSpec spec = new LaunchSpec(executable, task.args(), task.workdir() == null ? null : Path.of(task.workdir()),
                task.envOrEmpty(), log, timeout);
        RunningProcess process = null;
        String cannotStart = null;
        try {
            process = launcher.start(spec);
            active.attach(process);
        } catch (IOException e) {
            cannotStart = "cannot start " + executable + ": " + e.getMessage();
        }
        // a copy that may have run starts only once its claim was judged first: no other run of the task is alive
        boolean soleRun = active.claim() != null && delivery.mayHaveRun();
        recordStarted(delivery, task, attempt, log, process, soleRun);
        ProcessOutcome outcome = process != null ? process.await(timeout)
                : new ProcessOutcome(127, null, 0, StopCause.NONE, cannotStart, TreeUsage.NONE);
        if (outcome.stoppedBy() == StopCause.GUARD) {
            LOG.warn("task {} (batch {} chunk {}): its guardian killed it while this worker was frozen or cut off: {}",
                    task.taskId(), task.batch(), task.chunk(), outcome.stopDetail());
        }
        if (active.isLost() && !delivery.channel().isOpen()) {
            LOG.warn("task {} (batch {} chunk {}): killed its subprocess because {}; the broker hands the chunk out again",
                    task.taskId(), task.batch(), task.chunk(), active.stopReason());
            return ClaimRecord.LOST;
        }
        if (active.livesOnClaim()) {
            return recordDetached(active, task, outcome, log);
        }
        Attempt ended = ended(Endings.of(outcome, process == null), delivery, task, outcome.durationMs());
        String message = active.isLost() ? "the broker took the delivery back (" + active.stopReason() + ")"
                : cannotStart != null ? cannotStart : Endings.describe(outcome, Endings.reasonOf(ended.ending()), task);
        noteHealth(ended, message);
        return actions.carryOut(delivery, task, ended, outcome, log, message).wire();
    }

    /**
     * The outcome of a run that went on under its claim after the broker took its delivery back: recorded on a
     * channel of its own once the broker answers, with nothing to ack. The claim is released only then, so the
     * copy another worker holds is settled without running. A run its guardian killed (the lease ran out) has
     * nothing to record: its copy runs again.
     */
    private String recordDetached(ActiveDelivery active, Task task, ProcessOutcome outcome, Path log)
            throws IOException, InterruptedException, TimeoutException {
        if (outcome.stoppedBy() == StopCause.GUARD) {
            return ClaimRecord.KILLED;
        }
        Claim claim = active.claim();
        Delivery lost = active.delivery();
        Attempt ended = ended(Endings.of(outcome, false), lost, task, outcome.durationMs());
        String message = Endings.describe(outcome, Endings.reasonOf(ended.ending()), task);
        noteHealth(ended, message);
        Duration patience = context.claims().orElseThrow().lease();
        long until = System.nanoTime() + patience.toNanos();
        while (true) {
            try (DetachedChannel channel = DetachedChannel.open(context.connection(), patience)) {
                String recorded = actions.carryOut(lost.detached(channel.routed()), task, ended, outcome, log, message).wire();
                LOG.info("task {} (batch {} chunk {}): recorded after its delivery was lost ({}); the copy the broker"
                        + " handed out again is settled without running", task.taskId(), task.batch(), task.chunk(),
                        active.stopReason());
                claim.releaseAndWait(recorded, patience);
                return recorded;
            } catch (IOException | TimeoutException e) {
                if (System.nanoTime() >= until) {
                    LOG.error("task {} (batch {} chunk {}): could not record its outcome after its delivery was lost: {};"
                            + " it runs again once its claim lapses", task.taskId(), task.batch(), task.chunk(), e.toString());
                    return ClaimRecord.LOST;
                }
                Thread.sleep(1000);
            }
        }
    }

    private void noteHealth(Attempt ended, String what) {
        if (policy.isFastFailure(ended) && !ended.failedFastBefore()) {
            context.quarantine().failedFast(ended.ending() == AttemptEnding.CANNOT_START, what);
        } else if (ended.ending() == AttemptEnding.SUCCEEDED || ended.ending() == AttemptEnding.EXITED
                || ended.ending() == AttemptEnding.SIGNALLED || ended.ending() == AttemptEnding.TIMED_OUT) {
            context.quarantine().healthy();
        }
    }

    private static Attempt ended(AttemptEnding ending, Delivery delivery, Task task, long durationMs) {
        return new Attempt(ending, durationMs, delivery.attempt(), task.maxAttemptsOrDefault(), delivery.failedFastOn() != null);
    }

    private String refusedBecause(AttemptEnding refused, Task task) {
        return switch (refused) {
            case REFUSED_WALLTIME -> "it may run " + task.boundS() + " s but this worker must be done by "
                    + context.walltime().deadline() + " (its allocation ends at " + context.walltime().end() + ")";
            case REFUSED_QUARANTINED -> "this worker is quarantined: " + context.quarantine().reason();
            case DRAINED -> "the worker was draining when it came";
            default -> refused.name();
        };
    }

    /**
     * Recorded once the tool runs, not before: its round trip to the broker stays off the path from one chunk's
     * end to the next one's start. A tool whose start cannot be recorded is killed, since its delivery will be
     * handed out again. {@code soleRun}: the run's claim was judged first before the tool started (the event says
     * so, and readers end the task's other open runs).
     */
    private void recordStarted(Delivery delivery, Task task, int attempt, Path log, RunningProcess process,
                               boolean soleRun) throws IOException, InterruptedException {
        try {
            recorder.started(delivery, actions.event(EventType.STARTED, task, attempt).log(log.toString())
                    .soleRun(soleRun).build());
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.stop(StopCause.DELIVERY_LOST);
                process.await(null);
            }
            throw e;
        }
        LOG.info("started task {} (batch {} chunk {} attempt {}) log {}", task.taskId(), task.batch(), task.chunk(),
                attempt, log);
    }

    private void recordInvalid(Delivery delivery, InvalidTaskException e) throws IOException, InterruptedException, TimeoutException {
        TaskIdentity id = e.identity();
        LOG.warn("invalid task {} (batch {} chunk {}): {}", id.taskId(), id.batch(), id.chunk(), e.getMessage());
        Event failure = Event.of(EventType.FAILED, id).pool(settings.pool()).attempt(delivery.attempt())
                .worker(identity.ref()).reason(Reason.INVALID).message(e.getMessage()).build();
        recorder.failed(delivery, failure, settings.pool());
    }

    private Path logPath(Task task, Delivery delivery) {
        String safeId = FileNames.safe(task.taskId());
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(LOG_STAMP);
        int returns = AttemptHeaders.returns(delivery.headers());
        String run = returns == 0 ? "" : ".r" + returns;
        return settings.logDir().resolve(task.batch()).resolve(safeId + ".attempt" + delivery.attempt() + run + "." + stamp
                + ".log").toAbsolutePath();
    }
}
