package org.dp3q.bench.sections;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.broker.HistoryFiller;
import org.dp3q.bench.broker.QueueProbe;
import org.dp3q.bench.report.Row;
import org.dp3q.bench.report.Target;
import org.dp3q.bench.worker.WorkerProcess;
import org.dp3q.broker.topology.Topology;

/**
 * What a barrier costs after a long history: the event stream of a vhost is filled with N records of earlier
 * batches (0, 100k, 1M), then submit, wait, status --batch, status and failed --batch of a 5-task batch are timed
 * as a pipeline runs them (each a fresh dp3q process), with the peak memory of status. The history is older than
 * the status window: status is asked for the batches since the history was written, as a week-old history lies
 * outside the default 24 h.
 */
public final class ReadsSection {
    private static final String SECTION = "reads";
    private static final int TASKS = 5;
    private static final List<String> COMMANDS = List.of("submit", "wait", "status --batch", "status", "failed --batch");

    private final BenchContext ctx;
    private final List<Long> sizes;
    private final int runs;

    public ReadsSection(BenchContext ctx, List<Long> sizes, int runs) {
        this.ctx = ctx;
        this.sizes = sizes;
        this.runs = runs;
    }

    public void run() throws IOException, InterruptedException {
        Map<Long, Map<String, List<Double>>> seconds = new LinkedHashMap<>();
        Map<Long, List<Double>> statusRss = new LinkedHashMap<>();
        for (long size : sizes) {
            Map<String, List<Double>> bySize = new LinkedHashMap<>();
            COMMANDS.forEach(c -> bySize.put(c, new ArrayList<>()));
            seconds.put(size, bySize);
            statusRss.put(size, new ArrayList<>());
            measure(size, bySize, statusRss.get(size));
        }
        for (String command : COMMANDS) {
            for (long size : sizes) {
                ctx.report().add(Row.of(SECTION, "dp3q " + command + " (s)", "history of " + label(size) + " records", 2,
                        seconds.get(size).get(command), null));
            }
        }
        for (long size : sizes) {
            ctx.report().add(Row.of(SECTION, "dp3q status peak RSS (MiB)", "history of " + label(size) + " records", 0,
                    statusRss.get(size), Target.atMost(150)));
        }
        long largest = sizes.get(sizes.size() - 1);
        if (sizes.get(0) == 0 && largest > 0) {
            for (String command : COMMANDS) {
                double ratio = median(seconds.get(largest).get(command)) / median(seconds.get(0L).get(command));
                boolean targeted = command.startsWith("wait") || command.startsWith("status");
                ctx.report().add(Row.of(SECTION, "dp3q " + command + ": time " + label(largest) + " / time 0", "5-task batch",
                        2, List.of(ratio), targeted ? Target.atMost(1.3) : null));
            }
        }
    }

    private void measure(long size, Map<String, List<Double>> seconds, List<Double> rss)
            throws IOException, InterruptedException {
        Path dir = ctx.workDir("reads-" + size);
        try (BenchVhost vhost = ctx.vhost("reads")) {
            QueueProbe probe = new QueueProbe(vhost.connect("dp3q-bench probe"));
            try (WorkerProcess worker = WorkerProcess.start(ctx.repo(), vhost.uri(), TASKS, "bench-reads", ctx.standin(),
                    dir, null)) {
                BenchContext.awaitConsumers(probe, Topology.taskQueue(Topology.DEFAULT_POOL), TASKS, Duration.ofSeconds(60));
                long fillStart = System.nanoTime();
                long written = HistoryFiller.fill(vhost.connect("dp3q-bench history"), size);
                long fillEnd = System.nanoTime();
                ctx.say("history of %d event records written in %.1f s", written, (fillEnd - fillStart) / 1e9);
                Thread.sleep(2000); // the status window starts after the history
                for (int run = 1; run <= runs; run++) {
                    String batch = "measured-" + run;
                    time(seconds, "submit", vhost, dir, null, "submit", "--batch", batch, "--chunks", Integer.toString(TASKS),
                            "--ntimes", "1");
                    time(seconds, "wait", vhost, dir, null, "wait", "--batch", batch, "--progress", "none", "--timeout", "120s");
                    time(seconds, "status --batch", vhost, dir, null, "status", "--batch", batch);
                    long since = Math.max(1, (System.nanoTime() - fillEnd) / 1_000_000_000L - 1);
                    time(seconds, "status", vhost, dir, rss, "status", "--since", since + "s");
                    time(seconds, "failed --batch", vhost, dir, null, "failed", "--batch", batch);
                    ctx.say("history %s, run %d/%d: %s", label(size), run, runs, last(seconds));
                }
                worker.stop(Duration.ofSeconds(30));
            }
        }
    }

    /** Runs one dp3q command as a pipeline would, records its wall time (and, when asked, its peak RSS). */
    private void time(Map<String, List<Double>> seconds, String figure, BenchVhost vhost, Path dir, List<Double> rss,
                      String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ctx.repo().resolve("bin/dp3q").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("cli.log").toFile()));
        builder.environment().put("DP3Q_BROKER", vhost.uri());
        long start = System.nanoTime();
        Process process = builder.start();
        long peakKb = 0;
        while (!process.waitFor(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            peakKb = Math.max(peakKb, peakRssKb(process.pid()));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0) {
            throw new IOException("dp3q " + String.join(" ", args) + " exited " + process.exitValue() + "; see " + dir.resolve("cli.log"));
        }
        seconds.get(figure).add(elapsed);
        if (rss != null) {
            rss.add(peakKb / 1024.0);
        }
    }

    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between two looks
        }
        return 0;
    }

    private static String last(Map<String, List<Double>> seconds) {
        StringBuilder text = new StringBuilder();
        seconds.forEach((command, values) -> text.append(command).append(' ')
                .append(String.format("%.2f s; ", values.get(values.size() - 1))));
        return text.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String label(long size) {
        return size >= 1_000_000 && size % 1_000_000 == 0 ? size / 1_000_000 + "M"
                : size >= 1000 && size % 1000 == 0 ? size / 1000 + "k" : Long.toString(size);
    }
}
