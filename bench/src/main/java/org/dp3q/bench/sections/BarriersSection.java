package org.dp3q.bench.sections;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.worker.WorkerProcess;
import org.dp3q.broker.topology.Topology;

/**
 * A pipeline of sequential barriers, as a script runs one: for each barrier, {@code dp3q submit --wait} of as many
 * chunks of a fixed duration as there are slots, the whole command timed. What a barrier costs beyond its chunks'
 * duration is what a pipeline with 30 barriers pays 30 times.
 */
public final class BarriersSection {
    private static final String SECTION = "barriers";
    private static final String QUEUE = Topology.taskQueue(Topology.DEFAULT_POOL);

    private final BenchContext ctx;
    private final int barriers;
    private final int slots;
    private final int chunkMs;

    public BarriersSection(BenchContext ctx, int barriers, int slots, int chunkMs) {
        this.ctx = ctx;
        this.barriers = barriers;
        this.slots = slots;
        this.chunkMs = chunkMs;
    }

    public void run() throws IOException, InterruptedException {
        Path dir = ctx.workDir("barriers");
        List<Double> overheadMs = new ArrayList<>();
        List<WorkerProcess> workers = new ArrayList<>();
        try (BenchVhost vhost = ctx.vhost("barriers")) {
            QueueProbe probe = new QueueProbe(vhost.connect("dp3q-bench probe"));
            for (int w = 1; w <= slots; w++) {
                workers.add(WorkerProcess.start(ctx.repo(), vhost.uri(), 1, "barrier-w" + w, ctx.standin(),
                        dir.resolve("w" + w), null));
            }
            BenchContext.awaitConsumers(probe, QUEUE, slots, Duration.ofSeconds(120));
            for (int b = 0; b < barriers; b++) {
                double wallMs = submitAndWait(vhost.uri(), "barrier-" + b, dir.resolve("barrier-" + b + ".out"));
                overheadMs.add(wallMs - chunkMs);
            }
        } finally {
            for (WorkerProcess worker : workers) {
                worker.stop(Duration.ofSeconds(30));
            }
        }
        double total = overheadMs.stream().mapToDouble(Double::doubleValue).sum() + (double) barriers * chunkMs;
        ctx.say("%d barriers of %d chunks × %d ms on %d slots: %.2f s in all, %.0f ms overhead per barrier", barriers,
                slots, chunkMs, slots, total / 1000, (total - (double) barriers * chunkMs) / barriers);
        String config = barriers + " barriers × " + slots + " chunks of " + chunkMs + " ms, " + slots + " slots";
        ctx.report().add(Row.of(SECTION, "overhead per barrier, `dp3q submit --wait` (ms)", config, 0, overheadMs,
                Target.atMost(300)));
    }

    /** Wall time (ms) of one {@code dp3q submit --wait} of one barrier's chunks. */
    private double submitAndWait(String brokerUri, String batch, Path out) throws IOException, InterruptedException {
        List<String> command = List.of(ctx.repo().resolve("bin/dp3q").toString(), "submit", "--broker", brokerUri,
                "--batch", batch, "--chunks", Integer.toString(slots), "--ntimes", "1",
                "--arg", "standin.sleep=" + chunkMs / 1000.0, "--wait", "--progress", "none");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().remove("DP3Q_BROKER");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("dp3q submit --wait of " + batch + " did not finish within 120 s; see " + out);
        }
        double wallMs = (System.nanoTime() - start) / 1e6;
        if (process.exitValue() != 0) {
            throw new IOException("dp3q submit --wait of " + batch + " exited " + process.exitValue() + "; see " + out);
        }
        return wallMs;
    }
}
