package org.dp3q.cli.wait;

import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.dp3q.batch.BatchStart;
import org.dp3q.broker.connect.BrokerSettings;
import org.dp3q.broker.connect.BrokerUnavailableException;
import org.dp3q.cli.BrokerSession;
import org.dp3q.cli.ExitCodes;
import org.dp3q.codec.Json;
import org.dp3q.event.BatchProgress;
import org.dp3q.event.Event;
import org.dp3q.event.TaskState;
import org.dp3q.event.TaskView;

/** The barrier: blocks until every task of a batch reached a terminal state, then reports and picks the exit code. */
public final class BatchWaiter {
    private static final Duration TICK = Duration.ofMillis(500);
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);

    private final BrokerSettings settings;
    private final String batch;
    private final Integer expected;
    private final Duration timeout;
    private final Duration grace;
    private final String progressMode;
    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;

    public BatchWaiter(BrokerSettings settings, String batch, Integer expected, Duration timeout, Duration grace,
                       String progressMode, boolean json, PrintStream out, PrintStream err) {
        this.grace = grace;
        this.settings = settings;
        this.batch = batch;
        this.expected = expected;
        this.timeout = timeout;
        this.progressMode = progressMode;
        this.json = json;
        this.out = out;
        this.err = err;
    }

    /**
     * Connects and waits. A broker that goes down while the wait sets up (a restart) is waited for like one that is
     * down at the start, up to {@code --broker-timeout}: the wait connects again and starts over.
     */
    public int await() throws InterruptedException {
        long giveUp = System.nanoTime() + settings.brokerTimeout().toNanos();
        while (true) {
            try (BrokerSession session = BrokerSession.open(settings, "wait " + batch, List.of())) {
                OptionalInt code = on(session, Optional.empty());
                if (code.isPresent()) {
                    return code.getAsInt();
                }
            } catch (BrokerUnavailableException e) {
                err.println("dp3q wait: " + e.getMessage());
                return ExitCodes.BROKER;
            } catch (ShutdownSignalException e) {
                if (!ConnectionLoss.is(e)) {
                    throw e;
                }
            }
            if (System.nanoTime() - giveUp > 0) {
                err.println("dp3q wait: broker " + settings.maskedUri() + " went away while the wait set up and did not"
                        + " come back within " + Durations.human(settings.brokerTimeout()) + "; the batch goes on without us");
                return ExitCodes.BROKER;
            }
        }
    }

    /**
     * Waits on a session already open, e.g. submit's: a barrier then pays no second connection and topology
     * declaration. The session stays open; if its connection is lost while the wait sets up, the wait connects
     * again on its own. {@code known}: where the batch begins, when the caller knows (a submit that opened it),
     * so the wait does not look it up in the index again.
     */
    public int await(BrokerSession session, Optional<BatchStart> known) throws InterruptedException {
        OptionalInt code = on(session, known);
        return code.isPresent() ? code.getAsInt() : await();
    }

    /** The exit code; empty when the connection was lost before the wait had subscribed (a broker restart). */
    private OptionalInt on(BrokerSession session, Optional<BatchStart> known) throws InterruptedException {
        BatchWatcher subscribed;
        try {
            subscribed = new BatchWatcher(session.connection(), batch, expected, known);
        } catch (IOException | ShutdownSignalException e) {
            if (ConnectionLoss.is(e)) {
                return OptionalInt.empty();
            }
            err.println("dp3q wait: broker " + settings.maskedUri() + ": " + e.getMessage());
            return OptionalInt.of(ExitCodes.BROKER);
        }
        return OptionalInt.of(follow(subscribed));
    }

    private int follow(BatchWatcher subscribed) throws InterruptedException {
        try (BatchWatcher watcher = subscribed;
             ProgressView view = ProgressView.choose(json ? "none" : progressMode, batch)) {
            Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
            long graceEnds = System.nanoTime() + grace.toNanos();
            while (true) {
                // counted before looking: a change applied from here on ends the sleep below at once
                long seen = watcher.changes();
                Instant now = Instant.now();
                lookUp(watcher);
                if (!watcher.isKnown() && expected == null && System.nanoTime() - graceEnds > 0) {
                    err.println("dp3q wait: nothing is known of batch " + batch + " (no task, no event) after "
                            + Durations.human(grace) + "; check its name, or give --expect N to wait for a batch yet to come");
                    return ExitCodes.USAGE;
                }
                watcher.inspect(progress -> view.show(progress, now));
                ensureMarker(watcher);
                if (watcher.caughtUp() && watcher.read(BatchProgress::isComplete)) {
                    break;
                }
                checkLiveness(watcher);
                if (watcher.brokerGoneFor(settings)) {
                    err.println("dp3q wait: broker " + settings.maskedUri() + " unreachable for more than "
                            + Durations.human(settings.brokerTimeout()) + "; the batch goes on without us");
                    return ExitCodes.BROKER;
                }
                if (deadline != null && now.isAfter(deadline)) {
                    err.println("dp3q wait: --timeout passed before batch " + batch + " finished");
                    watcher.inspect(progress -> err.println(ProgressView.summary(progress, Instant.now())));
                    return ExitCodes.BROKER;
                }
                watcher.awaitChange(seen, TICK);
            }
            view.close();
            return watcher.read(this::report);
        }
    }

    private static void lookUp(BatchWatcher watcher) throws InterruptedException {
        try {
            watcher.lookUpWhileUnknown();
        } catch (IOException | RuntimeException e) {
            // the broker is away; the next tick tries again
        }
    }

    private void checkLiveness(BatchWatcher watcher) {
        try {
            if (watcher.caughtUp()) {
                watcher.checkLiveness();
            }
        } catch (IOException | RuntimeException e) {
            // the broker is away; the next tick tries again
        }
    }

    private void ensureMarker(BatchWatcher watcher) {
        try {
            watcher.ensureMarker();
        } catch (IOException | RuntimeException e) {
            // the broker is away; the next tick tries again, and --broker-timeout bounds the wait
        }
    }

    private int report(BatchProgress progress) {
        List<TaskView> failed = progress.inState(TaskState.FAILED);
        int code = progress.isSuccessful() ? ExitCodes.OK
                : progress.isCancelled() ? ExitCodes.BATCH_CANCELLED : ExitCodes.BATCH_FAILED;
        if (json) {
            out.println(Json.line(summary(progress, failed, code)));
            return code;
        }
        out.println(ProgressView.summary(progress, Instant.now()));
        if (code == ExitCodes.OK) {
            out.println("batch " + batch + ": all " + progress.total() + " tasks succeeded or were skipped");
            return code;
        }
        if (!failed.isEmpty()) {
            out.println("batch " + batch + ": " + failed.size() + " task(s) failed:");
            for (TaskView view : failed) {
                Event last = view.last();
                out.println("  chunk " + view.chunk() + " (" + view.taskId() + "): " + describe(last));
            }
            out.println("Details: dp3q failed --batch " + batch + "; after fixing the cause: dp3q replay --batch " + batch);
        }
        int cancelled = progress.count(TaskState.CANCELLED);
        if (cancelled > 0) {
            out.println("batch " + batch + ": " + cancelled + " task(s) cancelled");
        }
        return code;
    }

    private static String describe(Event failure) {
        StringBuilder text = new StringBuilder(failure.reason() == null ? "failed" : failure.reason().wire());
        if (failure.message() != null) {
            text.append(": ").append(failure.message());
        }
        if (failure.log() != null) {
            text.append(" [log ").append(failure.worker() == null ? "" : failure.worker().host() + ":").append(failure.log())
                    .append(']');
        }
        return text.toString();
    }

    private Map<String, Object> summary(BatchProgress progress, List<TaskView> failed, int code) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("batch", batch);
        summary.put("outcome", code == ExitCodes.OK ? "succeeded" : code == ExitCodes.BATCH_CANCELLED ? "cancelled" : "failed");
        summary.put("total", progress.total());
        progress.counts().forEach((state, count) -> summary.put(state.name().toLowerCase(), count));
        summary.put("failed_tasks", failed.stream().map(TaskView::last).toList());
        return summary;
    }
}
