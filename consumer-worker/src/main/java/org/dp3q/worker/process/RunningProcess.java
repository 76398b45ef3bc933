package org.dp3q.worker.process;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dp3q.worker.process.ProcessGroup.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started subprocess: wait for it with a time limit, or stop its whole group for a reason. */
public final class RunningProcess {
    private static final Logger LOG = LoggerFactory.getLogger(RunningProcess.class);
    /** A process ended by signal N exits, as the JVM reports it, with this + N. */
    static final int SIGNAL_EXIT_BASE = 128;
    private static final int SIGKILL = 9;

    private final Process process;
    private final Instant started;
    private final Path log;
    private final Duration killGrace;
    private final ProcSampler sampler;
    private final LeftoverSweeper sweeper;
    private final Guarded guarded;
    private final Guardian.Link guard;
    private final GuardianOutput output;
    private volatile StopCause stopCause = StopCause.NONE;
    private volatile Runnable whenGone = () -> { };
    /** Set once a guardian's report of the end has been read. */
    private volatile boolean ended;

    /** The guardian watching this run from outside the JVM, and the id it records a kill under. */
    record Guarded(Guardian guardian, String recordId) {
    }

    RunningProcess(Process process, Instant started, Path log, Duration killGrace, ProcSampler sampler,
                   LeftoverSweeper sweeper, Guarded guarded) {
        this.process = process;
        this.guarded = guarded;
        this.guard = guarded == null ? null : guarded.guardian().watch(process.getOutputStream());
        this.output = guarded == null ? null : new GuardianOutput(process.getInputStream());
        this.sweeper = sweeper;
        this.started = started;
        this.log = log;
        this.killGrace = killGrace;
        this.sampler = sampler;
    }

    /**
     * Returns once a guarded tool has been executed (or has ended, or could not start); at once when unguarded. The
     * worker's own work for a started run waits for this, so it does not take the CPU from the tool's start.
     */
    void awaitStart() {
        if (output != null) {
            output.awaitStart();
        }
    }

    /** True when a guardian outside the JVM watches this run, so that it can run on a lease (see {@link #lease}). */
    public boolean guarded() {
        return guard != null;
    }

    /** The run may outlive its delivery until {@code untilBootMs} on {@link BootClock}; false when unguarded or gone. */
    public boolean lease(long untilBootMs) {
        return guard != null && guard.lease(untilBootMs);
    }

    /** The delivery is gone: the guardian stops hearing pings, and kills the run when its lease runs out. */
    public void livesOnLease() {
        if (guard != null) {
            guard.stopPinging();
        }
    }

    /** CPU and peak memory of the tree so far. */
    public TreeUsage usage() {
        return sampler.current(pid());
    }

    /** Runs once the whole group has been killed after the end, e.g. to forget it in the {@link RunRegistry}. */
    void whenGone(Runnable action) {
        whenGone = action;
    }

    public long pid() {
        return process.pid();
    }

    /** True once a guardian's report of the end has been read, or it is known that none will come. */
    boolean reported() {
        return ended;
    }

    /** True until the run has ended: the guardian reported its end, or the process (tool or guardian) is gone. */
    private boolean running() {
        return !ended && process.isAlive();
    }

    public Instant started() {
        return started;
    }

    /**
     * Stops the group: at once with SIGKILL when the delivery is gone (someone else runs the chunk now),
     * else SIGTERM and SIGKILL after the grace period. The first cause given is the one reported.
     */
    public synchronized void stop(StopCause cause) {
        if (stopCause == StopCause.NONE) {
            stopCause = cause;
        }
        if (!running()) {
            // a resident guardian outlives the runs it reported: its group holds nothing of this run any more
            return;
        }
        if (cause == StopCause.DELIVERY_LOST || cause == StopCause.CANCELLED) {
            process.destroyForcibly();
            ProcessGroup.kill(pid());
            return;
        }
        ProcessGroup.signal(pid(), Signal.TERM);
        CompletableFuture.runAsync(this::killIfStillAlive,
                CompletableFuture.delayedExecutor(killGrace.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The time limit of a guarded run: it is stopped unless its guardian has reported its end meanwhile. */
    private synchronized void timedOut() {
        if (!ended) {
            stop(StopCause.TIMEOUT);
        }
    }

    private void killIfStillAlive() {
        if (running()) {
            process.destroyForcibly();
            ProcessGroup.kill(pid());
        }
    }

    /**
     * Waits for the end, enforcing {@code timeout} when given; then makes sure nothing of the group lingers. A
     * guardian's report carries the tool's exit status, so a guarded run's end is known as soon as the report is
     * read, without waiting for the JVM to reap the guardian.
     */
    public ProcessOutcome await(Duration timeout) throws InterruptedException {
        Optional<UsageReport> report = Optional.empty();
        int status;
        if (output == null) {
            if (timeout != null && !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(StopCause.TIMEOUT);
            }
            status = process.waitFor();
        } else {
            CompletableFuture<Void> limit = timeout == null ? null : CompletableFuture.runAsync(this::timedOut,
                    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
            report = output.end();
            ended = true;
            if (limit != null) {
                limit.cancel(false);
            }
            status = report.isPresent() && report.get().exitCode() >= 0 ? report.get().exitCode() : process.waitFor();
        }
        long durationMs = Duration.between(started, Instant.now()).toMillis();
        TreeUsage sampled = sampler.finish(pid());
        if (report.isPresent() && report.get().leftovers() == 0) {
            // its guardian killed and reaped whatever the tool left behind before it ended itself
            sweeper.forget(whenGone);
        } else {
            // children the tool left behind share its group or session
            sweeper.sweep(pid(), whenGone);
        }
        TreeUsage usage = report.map(measured -> measured.usage().atLeast(sampled)).orElse(sampled);
        boolean bySignal = status > SIGNAL_EXIT_BASE && status < SIGNAL_EXIT_BASE + 65;
        // a guardian kills its group, itself included, with SIGKILL, and records why first
        Optional<GuardRecord> guardKill = guarded == null ? Optional.empty() : guarded.guardian().ended(
                guard, guarded.recordId(), status == SIGNAL_EXIT_BASE + SIGKILL);
        guardKill.ifPresent(kill -> LOG.warn("subprocess {} (log {}): {}", pid(), log, kill.describe()));
        return new ProcessOutcome(bySignal ? null : status, bySignal ? status - SIGNAL_EXIT_BASE : null, durationMs,
                guardKill.isPresent() ? StopCause.GUARD : stopCause, LogTail.of(log), usage,
                guardKill.map(GuardRecord::describe).orElse(null));
    }
}
