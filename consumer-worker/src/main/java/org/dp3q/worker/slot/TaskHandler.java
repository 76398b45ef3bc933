package org.dp3q.worker.slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;
import org.dp3q.event.Reason;
import org.dp3q.task.InvalidTaskException;
import org.dp3q.task.Task;
import org.dp3q.task.TaskCodec;
import org.dp3q.task.TaskIdentity;
import org.dp3q.worker.config.WorkerSettings;
import org.dp3q.worker.control.CancelledBatches;
import org.dp3q.worker.metrics.WorkerMetrics;
import org.dp3q.worker.process.LaunchSpec;
import org.dp3q.worker.process.ProcessOutcome;
import org.dp3q.worker.process.RunningProcess;
import org.dp3q.worker.process.StopCause;
import org.dp3q.worker.process.SubprocessLauncher;
import org.dp3q.worker.process.TreeUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes one delivery from message to settled: check it, run it, record the outcome, ack. */
final class TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TaskHandler.class);
    private static final DateTimeFormatter LOG_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    private final WorkerSettings settings;
    private final SlotIdentity identity;
    private final TaskCodec codec;
    private final SubprocessLauncher launcher;
    private final OutcomeRecorder recorder;
    private final CancelledBatches cancelled;
    private final Retrier retrier;

    TaskHandler(WorkerSettings settings, SlotIdentity identity, SubprocessLauncher launcher, CancelledBatches cancelled,
                WorkerMetrics metrics) {
        this.recorder = new OutcomeRecorder(metrics);
        this.settings = settings;
        this.identity = identity;
        this.codec = new TaskCodec(settings.maxTaskBytes());
        this.launcher = launcher;
        this.cancelled = cancelled;
        this.retrier = new Retrier(settings.retry(), recorder);
    }

    void handle(ActiveDelivery active) throws IOException, InterruptedException, TimeoutException {
        Delivery delivery = active.delivery();
        Task task;
        Path executable;
        try {
            task = codec.decode(delivery.body(), delivery.messageId());
            executable = executableFor(task);
            checkWorkdir(task);
        } catch (InvalidTaskException e) {
            recordInvalid(delivery, e);
            return;
        }
        active.decoded(task);
        TaskIdentity id = TaskIdentity.of(task);
        int attempt = delivery.attempt();
        if (cancelled.covers(task)) {
            LOG.info("cancelled task {} (batch {} chunk {}): its batch was cancelled before it ran", id.taskId(), id.batch(),
                    id.chunk());
            boolean superseded = cancelled.isSuperseded(task);
            recorder.settled(delivery, event(EventType.CANCELLED, task, attempt)
                    .reason(superseded ? Reason.SUPERSEDED : Reason.CANCELLED)
                    .message(superseded ? "a newer copy of this task replaced it before it ran"
                            : "the batch was cancelled before this task ran").build());
            return;
        }
        if (task.skipsWhenOutputsExist() && task.outputsOrEmpty().stream().allMatch(p -> Files.exists(Path.of(p)))) {
            LOG.info("skipped task {} (batch {} chunk {}): all outputs exist", id.taskId(), id.batch(), id.chunk());
            recorder.settled(delivery, event(EventType.SKIPPED, task, attempt).build());
            return;
        }
        BatchIndexing.ensureIndexed(delivery, task.batch());
        Path log = logPath(task, attempt);
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
        recordStarted(delivery, task, attempt, log, process);
        ProcessOutcome outcome = process != null ? awaitEnd(active, task, process, timeout)
                : new ProcessOutcome(127, null, 0, StopCause.NONE, cannotStart, TreeUsage.NONE);
        if (outcome == null) {
            return;
        }
        settle(active, task, attempt, log, outcome);
    }

    /**
     * Recorded once the tool runs, not before: its round trip to the broker stays off the path from one chunk's
     * end to the next one's start. A tool whose start cannot be recorded is killed, since its delivery will be
     * handed out again.
     */
    private void recordStarted(Delivery delivery, Task task, int attempt, Path log, RunningProcess process)
            throws IOException, InterruptedException {
        try {
            recorder.started(delivery, event(EventType.STARTED, task, attempt).log(log.toString()).build());
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

    private ProcessOutcome awaitEnd(ActiveDelivery active, Task task, RunningProcess process, Duration timeout)
            throws InterruptedException {
        ProcessOutcome outcome = process.await(timeout);
        if (active.isLost()) {
            LOG.warn("task {} (batch {} chunk {}): killed its subprocess because {}; the broker hands the chunk out again",
                    task.taskId(), task.batch(), task.chunk(), active.stopReason());
            return null;
        }
        return outcome;
    }

    private void settle(ActiveDelivery active, Task task, int attempt, Path log, ProcessOutcome outcome)
            throws IOException, InterruptedException, TimeoutException {
        Delivery delivery = active.delivery();
        Event.Builder ended = event(EventType.SUCCEEDED, task, attempt);
        if (outcome.stoppedBy() == StopCause.DRAINED) {
            LOG.warn("task {} (batch {} chunk {}): drain time ran out; killed and requeued", task.taskId(), task.batch(), task.chunk());
            recorder.requeued(delivery, withOutcome(event(EventType.RETRYING, task, attempt), outcome, log)
                    .reason(Reason.DRAINED).message("the worker was draining and its --drain-timeout ran out").build());
            return;
        }
        if (outcome.stoppedBy() == StopCause.CANCELLED) {
            LOG.info("cancelled task {} (batch {} chunk {}): killed its subprocess group", task.taskId(), task.batch(),
                    task.chunk());
            boolean superseded = cancelled.isSuperseded(task);
            recorder.settled(delivery, withOutcome(event(EventType.CANCELLED, task, attempt), outcome, log)
                    .reason(superseded ? Reason.SUPERSEDED : Reason.CANCELLED)
                    .message(superseded ? "a newer copy of this task replaced it while it ran"
                            : "the batch was cancelled while this task ran").build());
            return;
        }
        if (outcome.succeeded()) {
            LOG.info("succeeded task {} (batch {} chunk {} attempt {}) in {} ms", task.taskId(), task.batch(), task.chunk(),
                    attempt, outcome.durationMs());
            recorder.settled(delivery, withOutcome(ended, outcome, log).build());
            return;
        }
        Reason reason = reasonOf(outcome);
        if (retrier.allows(task, attempt, reason)) {
            retrier.retry(delivery, task, attempt, withOutcome(event(EventType.RETRYING, task, attempt), outcome, log)
                    .reason(reason), describe(outcome, reason, task));
            return;
        }
        Event failure = withOutcome(event(EventType.FAILED, task, attempt), outcome, log)
                .reason(reason).message(describe(outcome, reason, task)).build();
        LOG.warn("failed task {} (batch {} chunk {} attempt {}): {}", task.taskId(), task.batch(), task.chunk(), attempt,
                failure.message());
        recorder.failed(delivery, failure, task.poolOrDefault());
    }

    private void recordInvalid(Delivery delivery, InvalidTaskException e) throws IOException, InterruptedException, TimeoutException {
        TaskIdentity id = e.identity();
        LOG.warn("invalid task {} (batch {} chunk {}): {}", id.taskId(), id.batch(), id.chunk(), e.getMessage());
        Event failure = Event.of(EventType.FAILED, id).pool(settings.pool()).attempt(delivery.attempt())
                .worker(identity.ref()).reason(Reason.INVALID).message(e.getMessage()).build();
        recorder.failed(delivery, failure, settings.pool());
    }

    private Path executableFor(Task task) throws InvalidTaskException {
        return settings.tools().executable(task.toolOrDefault()).orElseThrow(() -> new InvalidTaskException(
                "tool '" + task.toolOrDefault() + "' is not allowed on this worker (allowed: "
                        + String.join(", ", settings.tools().asMap().keySet()) + "); start the worker with --tool "
                        + task.toolOrDefault() + "=/path/to/executable", TaskIdentity.of(task)));
    }

    private static void checkWorkdir(Task task) throws InvalidTaskException {
        if (task.workdir() == null) {
            return;
        }
        try {
            Path dir = Path.of(task.workdir());
            if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
                throw new InvalidTaskException("workdir " + task.workdir() + " is not an existing directory on this worker",
                        TaskIdentity.of(task));
            }
        } catch (InvalidPathException e) {
            throw new InvalidTaskException("workdir " + task.workdir() + " is not a usable path: " + e.getMessage(),
                    TaskIdentity.of(task));
        }
    }

    private Event.Builder event(EventType type, Task task, int attempt) {
        return Event.of(type, TaskIdentity.of(task)).pool(task.poolOrDefault()).attempt(attempt)
                .worker(identity.ref()).labels(task.labels());
    }

    private static Event.Builder withOutcome(Event.Builder builder, ProcessOutcome outcome, Path log) {
        return builder.exitCode(outcome.exitCode()).signal(outcome.signal()).durationMs(outcome.durationMs())
                .cpuMs(outcome.usage().cpuMs()).maxRssKb(outcome.usage().maxRssKb())
                .log(log.toString()).stderrTail(outcome.tail().isEmpty() ? null : outcome.tail());
    }

    private static Reason reasonOf(ProcessOutcome outcome) {
        return switch (outcome.stoppedBy()) {
            case TIMEOUT -> Reason.TIMEOUT;
            case CANCELLED -> Reason.CANCELLED;
            case DRAINED -> Reason.DRAINED;
            case DELIVERY_LOST -> Reason.DELIVERY_LOST;
            case NONE -> outcome.signal() != null ? Reason.SIGNAL : Reason.EXIT;
        };
    }

    private static String describe(ProcessOutcome outcome, Reason reason, Task task) {
        return switch (reason) {
            case TIMEOUT -> "exceeded timeout_s=" + task.timeoutS() + "; its process group was killed";
            case SIGNAL -> "ended by signal " + outcome.signal();
            default -> "exited with code " + outcome.exitCode();
        };
    }

    private Path logPath(Task task, int attempt) {
        String safeId = task.taskId().replaceAll("[^A-Za-z0-9._-]", "_");
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(LOG_STAMP);
        return settings.logDir().resolve(task.batch()).resolve(safeId + ".attempt" + attempt + "." + stamp + ".log")
                .toAbsolutePath();
    }
}
