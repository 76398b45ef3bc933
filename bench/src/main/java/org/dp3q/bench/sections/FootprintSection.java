package org.dp3q.bench.sections;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.worker.ProcStatus;
import org.dp3q.bench.worker.WorkerProcess;
import org.dp3q.broker.topology.Topology;

/**
 * An idle worker: how long from launch until all its consumers are registered on the queue (asked of the queue
 * itself every 2 ms), and its resident memory once it has settled.
 */
public final class FootprintSection {
    private static final String SECTION = "footprint";
    private static final String QUEUE = Topology.taskQueue(Topology.DEFAULT_POOL);

    private final BenchContext ctx;
    private final List<Integer> slotCounts;
    private final int runs;
    private final Duration settle;

    public FootprintSection(BenchContext ctx, List<Integer> slotCounts, int runs, Duration settle) {
        this.ctx = ctx;
        this.slotCounts = slotCounts;
        this.runs = runs;
        this.settle = settle;
    }

    public static Target rssTarget(int slots) {
        return slots == 1 ? Target.atMost(100) : slots == 16 ? Target.atMost(160) : null;
    }

    public void run() throws IOException, InterruptedException {
        Map<Integer, List<Double>> ready = new LinkedHashMap<>();
        Map<Integer, List<Double>> rss = new LinkedHashMap<>();
        Map<Integer, List<Double>> threads = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (int slots : slotCounts) {
                double[] m = measure(slots, run);
                ready.computeIfAbsent(slots, k -> new ArrayList<>()).add(m[0]);
                rss.computeIfAbsent(slots, k -> new ArrayList<>()).add(m[1]);
                threads.computeIfAbsent(slots, k -> new ArrayList<>()).add(m[2]);
                ctx.say("idle worker with %d slot(s), run %d/%d: ready after %.2f s, RSS %.1f MiB, %d threads",
                        slots, run, runs, m[0], m[1], (int) m[2]);
            }
        }
        for (int slots : slotCounts) {
            String config = "1 worker × " + slots + (slots == 1 ? " slot" : " slots");
            ctx.report().add(Row.of(SECTION, "ready: launch → consumers registered (s)", config, 2, ready.get(slots),
                    Target.atMost(1.5)));
        }
        for (int slots : slotCounts) {
            String config = "1 worker × " + slots + (slots == 1 ? " slot" : " slots") + ", idle";
            ctx.report().add(Row.of(SECTION, "worker RSS (MiB)", config, 1, rss.get(slots), rssTarget(slots)));
            ctx.report().add(Row.of(SECTION, "  worker threads", config, 0, threads.get(slots), null));
        }
    }

    /** Ready time (s), RSS (MiB) and thread count of one freshly started worker. */
    private double[] measure(int slots, int run) throws IOException, InterruptedException {
        Path dir = ctx.workDir("footprint-" + slots + "-run" + run);
        try (BenchVhost vhost = ctx.vhost("footprint")) {
            QueueProbe probe = new QueueProbe(vhost.connect("dp3q-bench probe"));
            try (WorkerProcess worker = WorkerProcess.start(ctx.repo(), vhost.uri(), slots, "bench-idle", ctx.standin(),
                    dir, null)) {
                long readyAt = BenchContext.awaitConsumers(probe, QUEUE, slots, Duration.ofSeconds(60));
                double readyS = (readyAt - worker.startedNanos()) / 1e9;
                Thread.sleep(settle.toMillis());
                ProcStatus status = worker.status();
                worker.stop(Duration.ofSeconds(30));
                return new double[] {readyS, status.rssMib(), status.threads()};
            }
        }
    }
}
