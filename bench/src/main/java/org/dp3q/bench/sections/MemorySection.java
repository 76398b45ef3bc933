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
 * Many tasks through one worker with a trivial tool: resident memory before, along the way and after, and the
 * live heap after a full collection at 10 % and at 100 % of the tasks. A leak shows as live heap that grows; a
 * heap that is merely being touched for the first time shows as RSS that grows while the live heap does not.
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

    private record Sample(double seconds, long done, double rssMib) {
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
                double idle = worker.status().rssMib();
                String submittedAt = Instant.now().toString();
                List<Message> messages = new ArrayList<>(tasks);
                for (int i = 0; i < tasks; i++) {
                    messages.add(TaskMessages.task("bench-memory", i, tasks, List.of("msin=/data/memory.ms",
                            "msin.starttimeslot=" + i, "msin.ntimes=1", "steps=[]"), submittedAt));
                }
                List<Sample> samples = new ArrayList<>();
                long start = System.nanoTime();
                Thread publisher = new Thread(() -> {
                    try {
                        BurstPublisher.publish(connection, messages, 2000);
                    } catch (IOException e) {
                        ctx.progress().println("bench: publishing the memory batch: " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "memory-publisher");
                publisher.start();
                double rssAtTenth = Double.NaN;
                double rssAtHalf = Double.NaN;
                Jcmd.Heap liveAtTenth = null;
                long nextSay = 0;
                while (true) {
                    Thread.sleep(1000);
                    long ready = probe.counts(QUEUE).ready();
                    long published = publisher.isAlive() ? -1 : tasks;
                    long done = published < 0 ? -1 : Math.max(0, tasks - ready - slots);
                    double rss = worker.status().rssMib();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    samples.add(new Sample(seconds, done, rss));
                    if (liveAtTenth == null && done >= tasks / 10) {
                        rssAtTenth = rss;
                        liveAtTenth = Jcmd.liveAfterFullGc(worker.pid());
                    }
                    if (Double.isNaN(rssAtHalf) && done >= tasks / 2) {
                        rssAtHalf = rss;
                    }
                    if (seconds >= nextSay) {
                        ctx.say("memory: %d s, ~%d of %d tasks done, RSS %.1f MiB", (long) seconds, Math.max(done, 0),
                                tasks, rss);
                        nextSay += 15;
                    }
                    if (published > 0 && ready == 0) {
                        break;
                    }
                    if (seconds > 3600) {
                        throw new IOException("the memory batch did not finish within an hour");
                    }
                }
                awaitAcked(vhost);
                double elapsed = (System.nanoTime() - start) / 1e9;
                Thread.sleep(settle.toMillis());
                ProcStatus end = worker.status();
                Jcmd.Heap liveAtEnd = Jcmd.liveAfterFullGc(worker.pid());
                long failed = probe.counts(Topology.FAILED_QUEUE).ready();
                worker.stop(Duration.ofSeconds(30));
                report(config, idle, rssAtTenth, rssAtHalf, end, liveAtTenth, liveAtEnd, tasks / elapsed, samples, failed);
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

    private void report(String config, double idle, double rssAtTenth, double rssAtHalf, ProcStatus end,
                        Jcmd.Heap liveAtTenth, Jcmd.Heap liveAtEnd, double rate, List<Sample> samples, long failed) {
        double liveGrowth = (liveAtEnd.usedKb() - liveAtTenth.usedKb()) / 1024.0;
        ctx.report().add(Row.of(SECTION, "worker RSS after all tasks (MiB)", config, 1, List.of(end.rssMib()),
                FootprintSection.rssTarget(slots)));
        ctx.report().add(Row.of(SECTION, "worker RSS growth, 50 % → 100 % of the tasks (MiB)", config, 1,
                List.of(end.rssMib() - rssAtHalf), Target.atMost(2.0)));
        ctx.report().add(Row.of(SECTION, "live heap growth after full GC, 10 % → 100 % (MiB)", config, 2,
                List.of(liveGrowth), Target.atMost(1.0)));
        ctx.report().add(Row.of(SECTION, "  worker RSS growth, 10 % → 100 % of the tasks (MiB)", config, 1,
                List.of(end.rssMib() - rssAtTenth), null));
        ctx.report().add(Row.of(SECTION, "  worker RSS idle before the tasks (MiB)", config, 1, List.of(idle), null));
        ctx.report().add(Row.of(SECTION, "  worker peak RSS (VmHWM, MiB)", config, 1, List.of(end.hwmKb() / 1024.0), null));
        ctx.report().add(Row.of(SECTION, "  throughput through the worker (tasks/s)", config, 0, List.of(rate), null));
        StringBuilder trail = new StringBuilder("memory: RSS (MiB) along the tasks:");
        long step = Math.max(1, tasks / 10);
        long next = step;
        for (Sample s : samples) {
            if (s.done() >= next) {
                trail.append(String.format(Locale.ROOT, " %,d: %.1f;", s.done(), s.rssMib()));
                next = (s.done() / step + 1) * step;
            }
        }
        ctx.report().note(trail.toString());
        ctx.report().note(String.format(Locale.ROOT,
                "memory: live heap after full GC %.1f MiB at 10 %% and %.1f MiB at 100 %% (heap committed %.1f MiB, "
                        + "metaspace %.1f MiB); RSS anon %.1f MiB, file %.1f MiB; %d failed task(s).",
                liveAtTenth.usedKb() / 1024.0, liveAtEnd.usedKb() / 1024.0, liveAtEnd.committedKb() / 1024.0,
                liveAtEnd.metaspaceKb() / 1024.0, end.rssAnonKb() / 1024.0, end.rssFileKb() / 1024.0, failed));
    }
}
