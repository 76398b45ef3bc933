package org.dp3q.bench.sections;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.BurstPublisher;
import org.dp3q.bench.broker.EventTap;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.broker.TaskMessages;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.worker.ProcCpu;
import org.dp3q.bench.worker.WorkerProcess;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.EventType;

/**
 * What a worker takes from the machine while its slots run long chunks, as DP3 runs: one worker with 2 slots, each
 * running a stand-in that sleeps for longer than the window; the worker JVM's CPU over the window, per second, and
 * which of its threads used it. On a lab machine that CPU is taken from DP3.
 */
public final class LongChunksSection {
    private static final String SECTION = "long chunks";
    private static final int SLOTS = 2;
    /** After both chunks started: the first runs' sampling and the JIT settle before the window opens. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final BenchContext ctx;
    private final Duration window;
    private final int runs;

    public LongChunksSection(BenchContext ctx, Duration window, int runs) {
        this.ctx = ctx;
        this.window = window;
        this.runs = runs;
    }

    public void run() throws IOException, InterruptedException {
        List<Double> perSecond = new ArrayList<>();
        List<Double> guardians = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            ProcCpu used = runOnce(run);
            double seconds = window.toMillis() / 1000.0;
            perSecond.add(used.jvmMs() / seconds);
            guardians.add(used.guardiansMs() / seconds);
            ctx.say("long chunks run %d/%d: worker JVM %.1f ms of CPU per second (threads, ms/s: %s)", run, runs,
                    used.jvmMs() / seconds, used.busiest(6, seconds));
        }
        String config = "1 worker × " + SLOTS + " slots, both running, " + window.toSeconds() + " s window";
        ctx.report().add(Row.of(SECTION, "worker CPU while its slots run long chunks (ms/s)", config, 1, perSecond,
                Target.atMost(5.0)));
        ctx.report().add(Row.of(SECTION, "  guardians' own CPU (ms/s)", config, 1, guardians, null));
    }

    private ProcCpu runOnce(int run) throws IOException, InterruptedException {
        Path dir = ctx.workDir("long-chunks-run" + run);
        String batch = "long-" + run;
        double sleepS = SETTLE.toSeconds() + window.toSeconds() + 30;
        try (BenchVhost vhost = ctx.vhost("long-chunks")) {
            Connection connection = vhost.connect("dp3q-bench harness");
            try (EventTap tap = EventTap.start(connection);
                 WorkerProcess worker = WorkerProcess.start(ctx.repo(), vhost.uri(), SLOTS, "bench-long", ctx.standin(),
                         dir, dir.resolve("standin.record"))) {
                tap.keep(batch);
                BenchContext.awaitConsumers(new QueueProbe(connection), Topology.taskQueue(Topology.DEFAULT_POOL), SLOTS,
                        Duration.ofSeconds(60));
                List<TaskMessages.Message> chunks = new ArrayList<>();
                for (int i = 0; i < SLOTS; i++) {
                    chunks.add(TaskMessages.task(batch, i, SLOTS, List.of("msin=/data/long.ms", "msin.starttimeslot=" + i,
                            "msin.ntimes=1", "steps=[]", "standin.sleep=" + sleepS), Instant.now().toString()));
                }
                BurstPublisher.publish(connection, chunks, SLOTS);
                if (!tap.await(batch, EventType.STARTED, SLOTS, Duration.ofSeconds(60))) {
                    throw new IOException("the " + SLOTS + " long chunks did not both start within 60 s; see " + worker.log());
                }
                Thread.sleep(SETTLE.toMillis());
                ProcCpu before = ProcCpu.of(worker.pid());
                Thread.sleep(window.toMillis());
                ProcCpu used = ProcCpu.of(worker.pid()).since(before);
                if (tap.count(batch, EventType.SUCCEEDED) + tap.count(batch, EventType.FAILED) > 0) {
                    throw new IOException("a long chunk ended within the window; see " + worker.log());
                }
                // the chunks still run: the worker is killed, and its guardians end them
                return used;
            }
        }
    }
}
