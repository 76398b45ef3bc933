package org.dp3q.bench.sections;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.BurstPublisher;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.broker.TaskMessages;
import org.dp3q.bench.broker.TaskMessages.Message;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.worker.Jcmd;
import org.dp3q.bench.worker.ProcStatus;
import org.dp3q.bench.worker.WorkerProcess;
import org.dp3q.broker.topology.Topology;

/**
 * Many tasks through one worker with a trivial tool, in three parts (10 %, 40 %, 50 % of the tasks), each followed
 * by a pause in which the idle worker's resident memory and live heap are read: idle against idle, so tasks in
 * flight do not blur the comparison. A leak shows as live heap that grows; memory being touched for the first
 * time (a heap sized larger than needed, malloc arenas) shows as RSS that grows while the live heap does not.
 */
public final class MemorySection {
    private static final String SECTION = "memory";
    private static final String QUEUE = Topology.taskQueue(Topology.DEFAULT_POOL);

    private final BenchContext ctx;
    private final int tasks;
    private final int slots;
    private final Path tool;
    private final Duration settle;

    public MemorySection(BenchContext ctx, int tasks, int slots, Path tool, Duration settle) {
        this.ctx = ctx;
        this.tasks = tasks;
        this.slots = slots;
        this.tool = tool;
        this.settle = settle;
    }

    /** The idle worker after {@code done} tasks. */
    private record Checkpoint(int done, ProcStatus status, Jcmd.Heap live) {
    }

    public void run() throws IOException, InterruptedException {
        Path dir = ctx.workDir("memory");
        String config = String.format(Locale.ROOT, "1 worker × %d slots, %,d tasks of %s", slots, tasks, tool);
        try (BenchVhost vhost = ctx.vhost("memory")) {
            Connection connection = vhost.connect("dp3q-bench harness");
            QueueProbe probe = new QueueProbe(connection);
            try (WorkerProcess worker = WorkerProcess.start(ctx.repo(), vhost.uri(), slots, "bench-memory", tool, dir,
                    null)) {
                BenchContext.awaitConsumers(probe, QUEUE, slots, Duration.ofSeconds(60));
                Thread.sleep(settle.toMillis());
                ProcStatus idle = worker.status();
                String submittedAt = Instant.now().toString();
                List<Message> messages = new ArrayList<>(tasks);
                for (int i = 0; i < tasks; i++) {
                    messages.add(TaskMessages.task("bench-memory", i, tasks, List.of("msin=/data/memory.ms",
                            "msin.starttimeslot=" + i, "msin.ntimes=1", "steps=[]"), submittedAt));
                }
                List<Checkpoint> checkpoints = new ArrayList<>();
                long busyNanos = 0;
                long peakKb = 0;
                int published = 0;
                for (int bound : new int[] {tasks / 10, tasks / 2, tasks}) {
                    long start = System.nanoTime();
                    BurstPublisher.publish(connection, messages.subList(published, bound), 2000);
                    published = bound;
                    long nextSay = start;
                    while (probe.counts(QUEUE).ready() > 0) {
                        Thread.sleep(200);
                        peakKb = Math.max(peakKb, worker.status().rssKb());
                        if (System.nanoTime() >= nextSay) {
                            ctx.say("memory: %,d of %,d tasks published, %,d waiting, RSS %.1f MiB", published, tasks,
                                    probe.counts(QUEUE).ready(), worker.status().rssMib());
                            nextSay += 15_000_000_000L;
                        }
                    }
                    awaitAcked(vhost);
                    busyNanos += System.nanoTime() - start;
                    Thread.sleep(settle.toMillis());
                    ProcStatus status = worker.status();
                    checkpoints.add(new Checkpoint(bound, status, Jcmd.liveAfterFullGc(worker.pid())));
                    ctx.say("memory: %,d tasks done; idle RSS %.1f MiB, live heap %.1f MiB", bound, status.rssMib(),
                            checkpoints.get(checkpoints.size() - 1).live().usedKb() / 1024.0);
                }
                long failed = probe.counts(Topology.FAILED_QUEUE).ready();
                ProcStatus last = worker.status();
                worker.stop(Duration.ofSeconds(30));
                report(config, idle, checkpoints, Math.max(peakKb, last.hwmKb()), tasks / (busyNanos / 1e9), failed);
            }
        }
    }

    private void awaitAcked(BenchVhost vhost) throws IOException, InterruptedException {
        // the last deliveries may still be unacked; the management figures lag a few seconds
        for (int i = 0; i < 120; i++) {
            if (vhost.admin().messages(vhost.name(), QUEUE) == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IOException("the task queue still holds unacked tasks after 60 s");
    }

    private void report(String config, ProcStatus idle, List<Checkpoint> checkpoints, long peakKb, double rate,
                        long failed) {
        Checkpoint tenth = checkpoints.get(0);
        Checkpoint half = checkpoints.get(1);
        Checkpoint end = checkpoints.get(2);
        ctx.report().add(Row.of(SECTION, "worker RSS after all tasks, idle (MiB)", config, 1,
                List.of(end.status().rssMib()), FootprintSection.rssTarget(slots)));
        ctx.report().add(Row.of(SECTION, "worker RSS growth, 50 % → 100 % of the tasks (MiB)", config, 1,
                List.of(end.status().rssMib() - half.status().rssMib()), Target.atMost(2.0)));
        ctx.report().add(Row.of(SECTION, "live heap growth, 10 % → 100 % of the tasks (MiB)", config, 2,
                List.of((end.live().usedKb() - tenth.live().usedKb()) / 1024.0), Target.atMost(1.0)));
        ctx.report().add(Row.of(SECTION, "  worker RSS growth, 10 % → 100 % of the tasks (MiB)", config, 1,
                List.of(end.status().rssMib() - tenth.status().rssMib()), null));
        ctx.report().add(Row.of(SECTION, "  worker RSS idle before the tasks (MiB)", config, 1, List.of(idle.rssMib()), null));
        ctx.report().add(Row.of(SECTION, "  worker peak RSS (MiB)", config, 1, List.of(peakKb / 1024.0), null));
        ctx.report().add(Row.of(SECTION, "  throughput through the worker (tasks/s)", config, 0, List.of(rate), null));
        StringBuilder trail = new StringBuilder(String.format(Locale.ROOT,
                "memory: idle worker before the tasks: RSS %.1f MiB;", idle.rssMib()));
        for (Checkpoint c : checkpoints) {
            trail.append(String.format(Locale.ROOT, " after %,d: RSS %.1f MiB (anon %.1f, file %.1f), live heap %.1f MiB;",
                    c.done(), c.status().rssMib(), c.status().rssAnonKb() / 1024.0, c.status().rssFileKb() / 1024.0,
                    c.live().usedKb() / 1024.0));
        }
        trail.append(String.format(Locale.ROOT, " heap committed %.1f MiB, metaspace %.1f MiB, %d thread(s); %d failed task(s).",
                end.live().committedKb() / 1024.0, end.live().metaspaceKb() / 1024.0, end.status().threads(), failed));
        ctx.report().note(trail.toString());
        ctx.report().note("memory: live classes that grew most from 10 % to 100 %: "
                + String.join("; ", Jcmd.grown(tenth.live(), end.live(), 6)) + ".");
    }
}
