package org.dp3q.bench.sections;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.BurstPublisher;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.broker.TaskMessages;
import org.dp3q.bench.broker.TaskMessages.Message;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.broker.topology.Topology;

/**
 * {@code dp3q submit} of N generated tasks with confirms, timed as a user runs it (the whole command), beside the
 * machine's ceiling measured in the same run: a plain amqp-client publisher with confirms sending messages of the
 * same size and properties into the same kind of quorum queue. The pattern figures send what submit sends (a
 * {@code submitted} event for every task, and the task) to tell the protocol's cost from the CLI's: submit's own
 * pattern (events in records of a block of tasks, on a connection of their own, beside the tasks), and three
 * with one stream record per event, as submit sent them before.
 */
public final class SubmitSection {
    private static final String SECTION = "submit";
    private static final int NTIMES = 75;
    private static final String BATCH = "bench-submit";
    private static final String QUEUE = Topology.taskQueue(Topology.DEFAULT_POOL);

    private final BenchContext ctx;
    private final int tasks;
    private final int runs;
    private final int window;

    public SubmitSection(BenchContext ctx, int tasks, int runs, int window) {
        this.ctx = ctx;
        this.tasks = tasks;
        this.runs = runs;
        this.window = window;
    }

    /** One run of the command: wall time, and when the queue held its first and its last task (nanoTime). */
    record SubmitRun(double wallS, double toFirstTaskS, double taskPhaseS, int messageBytes) {
    }

    record Result(double submitRate, double rawRate, double recordsRate, double patternRate, double interleavedRate,
                  double parallelRate, double taskPhaseRate, double toFirstTaskS, double wallS, double load) {
        double ratio() {
            return 100 * submitRate / rawRate;
        }
    }

    public void run() throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        int rawBytes = TaskMessages.task(BATCH, 0, tasks, TaskMessages.submitArgs(0, NTIMES), Instant.now().toString())
                .body().length;
        int submitBytes = -1;
        warmUp();
        for (int run = 1; run <= runs; run++) {
            double load = org.dp3q.bench.machine.Machine.loadavg1();
            double raw = 0;
            double records = 0;
            double pattern = 0;
            double interleaved = 0;
            double parallel = 0;
            SubmitRun submit = null;
            // rotate the order, so that no figure always runs first (or last) on a machine that warms up or gets busy
            for (int k = 0; k < 6; k++) {
                switch ((k + run - 1) % 6) {
                    case 0 -> raw = raw();
                    case 1 -> pattern = pattern(Pattern.SERIAL);
                    case 2 -> interleaved = pattern(Pattern.INTERLEAVED);
                    case 3 -> parallel = pattern(Pattern.PARALLEL);
                    case 4 -> records = pattern(Pattern.RECORDS);
                    default -> submit = submit(run);
                }
            }
            submitBytes = submit.messageBytes();
            Result r = new Result(tasks / submit.wallS(), raw, records, pattern, interleaved, parallel, tasks / submit.taskPhaseS(),
                    submit.toFirstTaskS(), submit.wallS(), (load + org.dp3q.bench.machine.Machine.loadavg1()) / 2);
            results.add(r);
            ctx.say("submit run %d/%d: submit %.0f tasks/s (%.1f s), raw ceiling %.0f msgs/s, submit's pattern raw %.0f "
                    + "tasks/s (one record per event: serial %.0f, interleaved %.0f, parallel %.0f), submit task phase %.0f "
                    + "tasks/s", run, runs, r.submitRate(), r.wallS(), raw, records, pattern, interleaved, parallel,
                    r.taskPhaseRate());
        }
        String config = String.format("%,d tasks, confirms", tasks);
        ctx.report().add(Row.of(SECTION, "submit throughput, whole command (tasks/s)", config, 0,
                list(results, Result::submitRate), Target.atLeast(10_000)));
        ctx.report().add(Row.of(SECTION, "submit ÷ raw ceiling (%)", config, 1, list(results, Result::ratio),
                Target.atLeast(80)));
        ctx.report().add(Row.of(SECTION, "raw confirmed publish, the ceiling (msgs/s)",
                String.format("amqp-client, quorum queue, %d in flight, %d B", window, rawBytes), 0,
                list(results, Result::rawRate), null));
        ctx.report().add(Row.of(SECTION, "  raw, submit's pattern: event records of " + TaskMessages.EVENTS_PER_RECORD
                + " beside the tasks (tasks/s)", "same client and window", 0, list(results, Result::recordsRate), null));
        ctx.report().add(Row.of(SECTION, "  raw, a record per event: all events, then all tasks (tasks/s)",
                "same client and window", 0, list(results, Result::patternRate), null));
        ctx.report().add(Row.of(SECTION, "  raw, a record per event: each task right after its event (tasks/s)",
                "same client and window", 0, list(results, Result::interleavedRate), null));
        ctx.report().add(Row.of(SECTION, "  raw, a record per event: events and tasks at once, two connections (tasks/s)",
                "same client and window", 0, list(results, Result::parallelRate), null));
        ctx.report().add(Row.of(SECTION, "  submit, task phase only (tasks/s)", "first → last task on the queue", 0,
                list(results, Result::taskPhaseRate), null));
        ctx.report().add(Row.of(SECTION, "  submit, start → first task on the queue (s)", config, 2,
                list(results, Result::toFirstTaskS), null));
        ctx.report().add(Row.of(SECTION, "  submit wall time (s)", config, 2, list(results, Result::wallS), null));
        ctx.report().add(Row.of(SECTION, "  load average (1 min) during the runs", config, 2, list(results, Result::load),
                null));
        ctx.report().note(String.format("submit: the first task message is %d B from dp3q submit, %d B from the raw publisher.",
                submitBytes, rawBytes));
    }

    private List<Message> rawMessages(String batch) {
        String submittedAt = Instant.now().toString();
        List<Message> messages = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            messages.add(TaskMessages.task(batch, i, tasks, TaskMessages.submitArgs(i, NTIMES), submittedAt));
        }
        return messages;
    }

    /** An untimed publish first, so the harness's own JIT does not lower the ceiling of the first run. */
    private void warmUp() throws IOException, InterruptedException {
        List<Message> messages = rawMessages(BATCH).subList(0, Math.min(tasks, 20_000));
        try (BenchVhost vhost = ctx.vhost("warmup")) {
            BurstPublisher.publish(vhost.connect("dp3q-bench warm-up"), messages, window);
        }
    }

    /** The ceiling: tasks straight into the quorum queue, confirmed, nothing else. */
    private double raw() throws IOException, InterruptedException {
        List<Message> messages = rawMessages(BATCH);
        try (BenchVhost vhost = ctx.vhost("raw")) {
            Connection connection = vhost.connect("dp3q-bench raw publisher");
            BurstPublisher.Timing t = BurstPublisher.publish(connection, messages, window);
            requireQueued(new QueueProbe(connection));
            return t.perSecond();
        }
    }

    /** How the events and the tasks go out: as submit sends them, one after the other, or at once. */
    private enum Pattern {
        /** Events in records of a block of tasks on a connection of their own, tasks at once: what submit does. */
        RECORDS,
        /** All events confirmed, then all tasks. */
        SERIAL,
        /** Each task right after its own event, on one channel. */
        INTERLEAVED,
        /** Events and tasks at the same time, each on a connection of its own. */
        PARALLEL
    }

    /** What submit asks of the broker: a {@code submitted} event to the stream for every task, and the task. */
    private double pattern(Pattern pattern) throws IOException, InterruptedException {
        List<Message> tasksToSend = rawMessages(BATCH);
        List<Message> events = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            events.add(TaskMessages.submittedEvent(BATCH, i, tasks));
        }
        try (BenchVhost vhost = ctx.vhost(pattern.name().toLowerCase(java.util.Locale.ROOT))) {
            Connection connection = vhost.connect("dp3q-bench raw publisher");
            double seconds = switch (pattern) {
                case SERIAL -> {
                    BurstPublisher.Timing first = BurstPublisher.publish(connection, events, window);
                    BurstPublisher.Timing second = BurstPublisher.publish(connection, tasksToSend, window);
                    yield (second.lastConfirmNanos() - first.firstPublishNanos()) / 1e9;
                }
                case INTERLEAVED -> {
                    List<Message> both = new ArrayList<>(2 * tasks);
                    for (int i = 0; i < tasks; i++) {
                        both.add(events.get(i));
                        both.add(tasksToSend.get(i));
                    }
                    yield BurstPublisher.publish(connection, both, window).seconds();
                }
                case PARALLEL, RECORDS -> {
                    List<Message> eventsToSend = pattern == Pattern.RECORDS ? TaskMessages.submittedRecords(BATCH, tasks) : events;
                    Connection second = vhost.connect("dp3q-bench raw publisher 2");
                    java.util.concurrent.CompletableFuture<BurstPublisher.Timing> eventsDone =
                            java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                                try {
                                    return BurstPublisher.publish(second, eventsToSend, window);
                                } catch (IOException | InterruptedException e) {
                                    throw new java.util.concurrent.CompletionException(e);
                                }
                            }, r -> new Thread(r, "event-publisher").start());
                    BurstPublisher.Timing t = BurstPublisher.publish(connection, tasksToSend, window);
                    BurstPublisher.Timing e = eventsDone.join();
                    yield (Math.max(t.lastConfirmNanos(), e.lastConfirmNanos())
                            - Math.min(t.firstPublishNanos(), e.firstPublishNanos())) / 1e9;
                }
            };
            requireQueued(new QueueProbe(connection));
            return tasks / seconds;
        }
    }

    private SubmitRun submit(int run) throws IOException, InterruptedException {
        Path dir = ctx.workDir("submit-run" + run);
        try (BenchVhost vhost = ctx.vhost("submit")) {
            QueueProbe probe = new QueueProbe(vhost.connect("dp3q-bench probe"));
            AtomicLong firstSeen = new AtomicLong();
            AtomicLong lastSeen = new AtomicLong();
            Thread poller = new Thread(() -> poll(probe, firstSeen, lastSeen), "queue-poller");
            poller.setDaemon(true);
            List<String> command = new ArrayList<>(List.of(ctx.repo().resolve("bin/dp3q").toString(), "submit",
                    "--broker", vhost.uri(), "--batch", BATCH, "--chunks", Integer.toString(tasks),
                    "--ntimes", Integer.toString(NTIMES)));
            command.addAll(TaskMessages.submitArgOptions());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("submit.out").toFile());
            builder.environment().remove("DP3Q_BROKER");
            poller.start();
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(600, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("dp3q submit did not finish within 600 s");
            }
            long end = System.nanoTime();
            poller.interrupt();
            poller.join(5_000);
            if (process.exitValue() != 0) {
                throw new IOException("dp3q submit exited " + process.exitValue() + "; see " + dir.resolve("submit.out"));
            }
            requireQueued(probe);
            int bytes;
            try (Channel channel = vhost.connect("dp3q-bench peek").createChannel()) {
                GetResponse one = channel.basicGet(QUEUE, false);
                bytes = one == null ? -1 : one.getBody().length;
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IOException(e);
            }
            if (lastSeen.get() == 0) {
                lastSeen.set(end);
            }
            return new SubmitRun((end - start) / 1e9, (firstSeen.get() - start) / 1e9,
                    (lastSeen.get() - firstSeen.get()) / 1e9, bytes);
        }
    }

    /** Notes when the queue first holds a task and when it holds them all (every 5 ms, one passive declare each). */
    private void poll(QueueProbe probe, AtomicLong firstSeen, AtomicLong lastSeen) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long ready = probe.counts(QUEUE).ready();
                long now = System.nanoTime();
                if (ready > 0 && firstSeen.get() == 0) {
                    firstSeen.set(now);
                }
                if (ready >= tasks) {
                    lastSeen.set(now);
                    return;
                }
                Thread.sleep(5);
            }
        } catch (IOException e) {
            ctx.progress().println("bench: queue poller: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireQueued(QueueProbe probe) throws IOException {
        long ready = probe.counts(QUEUE).ready();
        if (ready != tasks) {
            throw new IOException("the task queue holds " + ready + " messages, expected " + tasks);
        }
    }

    private static List<Double> list(List<Result> results, ToDoubleFunction<Result> figure) {
        return results.stream().map(r -> figure.applyAsDouble(r)).toList();
    }
}
