package org.dp3q.bench.sections;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.Scenario;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.BurstPublisher;
import org.dp3q.bench.broker.EventTap;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.broker.TaskMessages;
import org.dp3q.bench.broker.TaskMessages.Message;
import org.dp3q.bench.cli.WaitProcess;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.standin.StandinRuns;
import org.dp3q.bench.standin.StandinRuns.Run;
import org.dp3q.bench.stats.GapAnalysis;
import org.dp3q.bench.stats.GapAnalysis.Gap;
import org.dp3q.bench.stats.GapAnalysis.TaskTrace;
import org.dp3q.bench.stats.Schedule;
import org.dp3q.bench.stats.Stats;
import org.dp3q.bench.worker.ProcCpu;
import org.dp3q.bench.worker.WorkerProcess;
import org.dp3q.broker.topology.Topology;
import org.dp3q.event.Event;
import org.dp3q.event.EventType;

/**
 * Dispatch gap and makespan: real workers run a batch of stand-in chunks published upfront; the stand-in's own
 * timestamps give every gap on every slot, the worker's event times split each gap into its legs, and the
 * first publish and the last outcome event seen on the stream give the makespan.
 */
public final class DispatchSection {
    private static final String SECTION = "dispatch";
    private static final String MEASURED_MS = "/data/bench.ms";
    private static final String WARMUP_MS = "/data/warmup.ms";
    private static final int PUBLISH_WINDOW = 2000;

    private final BenchContext ctx;
    private final Scenario scenario;
    private final int chunks;
    private final int warmup;
    private final int runs;

    public DispatchSection(BenchContext ctx, Scenario scenario, int chunks, int warmup, int runs) {
        this.ctx = ctx;
        this.scenario = scenario;
        this.chunks = chunks;
        this.warmup = warmup;
        this.runs = runs;
    }

    /** What one run measured. Gap figures in ms; the legs are medians over the run's gaps. */
    record Result(double gapP50, double gapP99, double gapMax, double ratio, double idealRatio, double makespanS,
                  double lowerBoundS, double exitToOutcome, double outcomeToStarted, double startedToExec, double load,
                  double workerCpuPerTask, double guardianCpuPerTask, double waitCpuS) {
    }

    public void run() throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Result r = runOnce(run);
            results.add(r);
            ctx.say("%s run %d/%d: gap p50 %.2f ms p99 %.2f ms max %.2f ms (legs %.2f + %.2f + %.2f ms); makespan %.3f s "
                    + "= %.4f × LB (FIFO ideal %.4f); worker CPU %.2f ms/task; dp3q wait's CPU %.2f s", scenario.id(),
                    run, runs, r.gapP50(), r.gapP99(), r.gapMax(), r.exitToOutcome(), r.outcomeToStarted(),
                    r.startedToExec(), r.makespanS(), r.ratio(), r.idealRatio(), r.workerCpuPerTask(), r.waitCpuS());
        }
        String config = scenario.label();
        ctx.report().add(Row.of(SECTION, "dispatch gap p50 (ms)", config, 2, list(results, Result::gapP50),
                Target.atMost(2.0)));
        ctx.report().add(Row.of(SECTION, "dispatch gap p99 (ms)", config, 2, list(results, Result::gapP99),
                Target.atMost(5.0)));
        ctx.report().add(Row.of(SECTION, "dispatch gap max (ms)", config, 2, list(results, Result::gapMax), null));
        ctx.report().add(Row.of(SECTION, "  gap leg: exit → outcome event (ms, p50)", config, 2,
                list(results, Result::exitToOutcome), null));
        ctx.report().add(Row.of(SECTION, "  gap leg: outcome → next started event (ms, p50)", config, 2,
                list(results, Result::outcomeToStarted), null));
        ctx.report().add(Row.of(SECTION, "  gap leg: started event → tool running (ms, p50)", config, 2,
                list(results, Result::startedToExec), null));
        ctx.report().add(Row.of(SECTION, "makespan ÷ lower bound", config + ", " + chunks + " chunks", 4,
                list(results, Result::ratio), Target.atMost(scenario.makespanTarget())));
        ctx.report().add(Row.of(SECTION, "  FIFO with zero overhead ÷ lower bound", config, 4,
                list(results, Result::idealRatio), null));
        ctx.report().add(Row.of(SECTION, "  makespan (s)", config, 3, list(results, Result::makespanS), null));
        String cpuConfig = config + ", " + (warmup > 0 ? warmup + " warm-up tasks first" : "cold workers");
        ctx.report().add(Row.of(SECTION, "worker CPU per task, worker JVMs (ms)", cpuConfig, 2,
                list(results, Result::workerCpuPerTask), Target.atMost(5.0)));
        ctx.report().add(Row.of(SECTION, "  guardians' own CPU per task (ms)", cpuConfig, 2,
                list(results, Result::guardianCpuPerTask), null));
        ctx.report().add(Row.of(SECTION, "dp3q wait's CPU while it follows the batch, whole command (s)",
                config + ", " + chunks + " chunks", 2, list(results, Result::waitCpuS), null));
        ctx.report().add(Row.of(SECTION, "  load average (1 min) during the runs", config, 2, list(results, Result::load),
                null));
    }

    private Result runOnce(int run) throws IOException, InterruptedException {
        Path dir = ctx.workDir("dispatch-" + scenario.id() + "-run" + run);
        Path record = dir.resolve("standin.record");
        String batch = "bench-" + run;
        String warmBatch = "warmup-" + run;
        List<WorkerProcess> workers = new ArrayList<>();
        try (BenchVhost vhost = ctx.vhost("dispatch")) {
            Connection connection = vhost.connect("dp3q-bench harness");
            QueueProbe probe = new QueueProbe(connection);
            String queue = Topology.taskQueue(Topology.DEFAULT_POOL);
            try (EventTap tap = EventTap.start(connection)) {
                tap.keep(batch);
                for (int w = 0; w < scenario.workers(); w++) {
                    workers.add(WorkerProcess.start(ctx.repo(), vhost.uri(), scenario.slotsPerWorker(), "bench-w" + w,
                            ctx.standin(), dir, record));
                }
                BenchContext.awaitConsumers(probe, queue, scenario.slots(), Duration.ofSeconds(90));
                if (warmup > 0) {
                    List<Message> warm = new ArrayList<>();
                    for (int i = 0; i < warmup; i++) {
                        warm.add(TaskMessages.task(warmBatch, i, warmup, List.of("msin=" + WARMUP_MS,
                                "msin.starttimeslot=" + i, "msin.ntimes=1", "steps=[]", "standin.sleep=0"), now()));
                    }
                    BurstPublisher.publish(connection, warm, PUBLISH_WINDOW);
                    requireAll(tap, warmBatch, warmup, Duration.ofSeconds(60 + warmup));
                }
                double[] nominal = scenario.durations(chunks, ctx.seed() + run);
                List<Message> messages = new ArrayList<>();
                String submittedAt = now();
                for (int i = 0; i < chunks; i++) {
                    messages.add(TaskMessages.task(batch, i, chunks, List.of("msin=" + MEASURED_MS,
                            "msin.starttimeslot=" + i, "msin.ntimes=1", "steps=[]",
                            "standin.sleep=" + Scenario.seconds(nominal[i])), submittedAt));
                }
                double load = org.dp3q.bench.machine.Machine.loadavg1();
                List<ProcCpu> before = cpu(workers);
                // the barrier a pipeline runs beside its chunks, launched with them
                double waitCpuMs;
                BurstPublisher.Timing published;
                ProcCpu used;
                try (WaitProcess barrier = WaitProcess.start(ctx.repo(), vhost.uri(), batch, chunks, dir)) {
                    published = BurstPublisher.publish(connection, messages, PUBLISH_WINDOW);
                    double expected = Schedule.lowerBound(nominal, scenario.slots());
                    requireAll(tap, batch, chunks, Duration.ofSeconds((long) (3 * expected) + 120));
                    // the workers' share ends with the last outcome, not when the wait has noticed it
                    used = used(before, cpu(workers));
                    waitCpuMs = barrier.cpuMs(Duration.ofSeconds(60));
                }
                ctx.say("%s run %d/%d: worker threads, ms of CPU per task: %s", scenario.id(), run, runs,
                        used.busiest(6, chunks));
                load = (load + org.dp3q.bench.machine.Machine.loadavg1()) / 2;
                stop(workers);
                return analyse(record, tap.events(batch), published.firstPublishEpochNs(), load, used, waitCpuMs / 1000);
            }
        } finally {
            workers.forEach(WorkerProcess::close);
        }
    }

    private static List<ProcCpu> cpu(List<WorkerProcess> workers) throws IOException {
        List<ProcCpu> all = new ArrayList<>();
        for (WorkerProcess worker : workers) {
            all.add(ProcCpu.of(worker.pid()));
        }
        return all;
    }

    /** What the workers used between the two readings, all together. */
    private static ProcCpu used(List<ProcCpu> before, List<ProcCpu> after) {
        List<ProcCpu> used = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            used.add(after.get(i).since(before.get(i)));
        }
        return ProcCpu.sum(used);
    }

    private static void requireAll(EventTap tap, String batch, int n, Duration timeout)
            throws InterruptedException, IOException {
        if (!tap.await(batch, EventType.SUCCEEDED, n, timeout)) {
            throw new IOException("batch " + batch + ": only " + tap.count(batch, EventType.SUCCEEDED) + " of " + n
                    + " tasks succeeded within " + timeout.toSeconds() + " s (" + tap.count(batch, EventType.FAILED)
                    + " failed); see the worker logs");
        }
    }

    private Result analyse(Path record, List<EventTap.Seen> events, long firstPublishNs, double load, ProcCpu used,
                           double waitCpuS)
            throws IOException {
        Map<Integer, Event> started = new HashMap<>();
        Map<Integer, Event> outcome = new HashMap<>();
        long lastOutcomeSeen = 0;
        for (EventTap.Seen seen : events) {
            Event e = seen.event();
            if (e.event() == EventType.STARTED) {
                started.putIfAbsent(e.chunk(), e);
            } else if (e.event() == EventType.SUCCEEDED) {
                outcome.putIfAbsent(e.chunk(), e);
                lastOutcomeSeen = Math.max(lastOutcomeSeen, seen.arrivalEpochNs());
            }
        }
        List<Run> runs = StandinRuns.read(record).stream()
                .filter(r -> r.arg("msin").map(MEASURED_MS::equals).orElse(false)).toList();
        if (runs.size() != chunks) {
            throw new IOException("the stand-in recorded " + runs.size() + " runs of the " + chunks + " chunks");
        }
        List<TaskTrace> traces = new ArrayList<>();
        double[] durations = new double[chunks];
        for (Run r : runs) {
            int chunk = Integer.parseInt(r.arg("msin.starttimeslot").orElseThrow());
            Event s = started.get(chunk);
            Event o = outcome.get(chunk);
            if (s == null || o == null || !r.ended()) {
                throw new IOException("chunk " + chunk + " lacks its started or outcome event or its stand-in end");
            }
            traces.add(new TaskTrace(s.worker().pid() + "/" + s.worker().slot(), r.startNs(), r.endNs(), epochNs(s.time()),
                    epochNs(o.time())));
            durations[chunk] = (r.endNs() - r.startNs()) / 1e9;
        }
        if (GapAnalysis.overlaps(traces) > 0) {
            throw new IOException("a slot ran two stand-ins at once");
        }
        List<Gap> gaps = GapAnalysis.gaps(traces);
        double[] total = gaps.stream().mapToDouble(Gap::totalMs).toArray();
        double lowerBound = Schedule.lowerBound(durations, scenario.slots());
        double makespan = (lastOutcomeSeen - firstPublishNs) / 1e9;
        return new Result(Stats.percentile(total, 50), Stats.percentile(total, 99), Stats.max(total),
                makespan / lowerBound, Schedule.fifoMakespan(durations, scenario.slots()) / lowerBound, makespan, lowerBound,
                median(gaps, Gap::exitToOutcomeMs), median(gaps, Gap::outcomeToNextStartedMs),
                median(gaps, Gap::startedToExecMs), load, used.jvmMs() / chunks, used.guardiansMs() / chunks,
                waitCpuS);
    }

    private void stop(List<WorkerProcess> workers) throws InterruptedException {
        workers.forEach(WorkerProcess::terminate);
        for (WorkerProcess w : workers) {
            w.stop(Duration.ofSeconds(40));
        }
    }

    private static double median(List<Gap> gaps, ToDoubleFunction<Gap> leg) {
        return Stats.percentile(gaps.stream().mapToDouble(leg).toArray(), 50);
    }

    private static List<Double> list(List<Result> results, ToDoubleFunction<Result> figure) {
        return results.stream().map(r -> figure.applyAsDouble(r)).toList();
    }

    private static String now() {
        return Instant.now().toString();
    }

    private static long epochNs(String time) {
        return StandinRuns.epochNs(Instant.parse(time));
    }
}
