package org.dp3q.bench.sections;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.standin.StandinRuns;
import org.dp3q.bench.worker.WorkerProcess;
import org.dp3q.broker.topology.Topology;

/**
 * A pipeline of sequential barriers, as a script runs one: for each barrier, {@code dp3q submit --wait} of as many
 * chunks of a fixed duration as there are slots, the whole command timed. What a barrier costs beyond its chunks'
 * duration is what a pipeline with 30 barriers pays 30 times. It is split, from the stand-in's own record of its
 * runs, into the command's start (launch to its first chunk's start) and its end (its last chunk's end to its return).
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

    /** One barrier's command: when it was launched and when it returned, on the stand-in's clock (epoch ns). */
    private record Command(long launchNs, long returnNs) {
        double wallMs() {
            return (returnNs - launchNs) / 1e6;
        }
    }

    public void run() throws IOException, InterruptedException {
        Path dir = ctx.workDir("barriers");
        Path record = dir.resolve("standin.record");
        List<Double> overheadMs = new ArrayList<>();
        List<Command> commands = new ArrayList<>();
        List<WorkerProcess> workers = new ArrayList<>();
        try (BenchVhost vhost = ctx.vhost("barriers")) {
            QueueProbe probe = new QueueProbe(vhost.connect("dp3q-bench probe"));
            for (int w = 1; w <= slots; w++) {
                workers.add(WorkerProcess.start(ctx.repo(), vhost.uri(), 1, "barrier-w" + w, ctx.standin(),
                        dir.resolve("w" + w), record));
            }
            BenchContext.awaitConsumers(probe, QUEUE, slots, Duration.ofSeconds(120));
            for (int b = 0; b < barriers; b++) {
                Command command = submitAndWait(vhost.uri(), "barrier-" + b, dir.resolve("barrier-" + b + ".out"));
                commands.add(command);
                overheadMs.add(command.wallMs() - chunkMs);
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
        List<StandinRuns.Run> runs = StandinRuns.read(record);
        List<Double> startMs = new ArrayList<>();
        List<Double> endMs = new ArrayList<>();
        for (Command command : commands) {
            List<StandinRuns.Run> own = runs.stream().filter(StandinRuns.Run::ended)
                    .filter(run -> run.startNs() >= command.launchNs() && run.endNs() <= command.returnNs()).toList();
            if (own.size() != slots) {
                throw new IOException("the stand-in recorded " + own.size() + " runs within one barrier's command, not "
                        + slots + "; see " + record);
            }
            startMs.add((own.stream().mapToLong(StandinRuns.Run::startNs).min().orElseThrow() - command.launchNs()) / 1e6);
            endMs.add((command.returnNs() - own.stream().mapToLong(StandinRuns.Run::endNs).max().orElseThrow()) / 1e6);
        }
        ctx.report().add(Row.of(SECTION, "  launch → first chunk starts (ms)", config, 0, startMs, null));
        ctx.report().add(Row.of(SECTION, "  last chunk ends → the command returns (ms)", config, 0, endMs, null));
    }

    /** One {@code dp3q submit --wait} of one barrier's chunks, timed on the stand-in's clock. */
    private Command submitAndWait(String brokerUri, String batch, Path out) throws IOException, InterruptedException {
        List<String> command = List.of(ctx.repo().resolve("bin/dp3q").toString(), "submit", "--broker", brokerUri,
                "--batch", batch, "--chunks", Integer.toString(slots), "--ntimes", "1",
                "--arg", "standin.sleep=" + chunkMs / 1000.0, "--wait", "--progress", "none");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().remove("DP3Q_BROKER");
        long launchNs = StandinRuns.epochNs(Instant.now());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("dp3q submit --wait of " + batch + " did not finish within 120 s; see " + out);
        }
        long returnNs = StandinRuns.epochNs(Instant.now());
        if (process.exitValue() != 0) {
            throw new IOException("dp3q submit --wait of " + batch + " exited " + process.exitValue() + "; see " + out);
        }
        return new Command(launchNs, returnNs);
    }
}
