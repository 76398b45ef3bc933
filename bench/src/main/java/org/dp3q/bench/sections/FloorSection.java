package org.dp3q.bench.sections;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dp3q.bench.BenchContext;
import org.dp3q.bench.broker.BenchVhost;
import org.dp3q.bench.floor.BrokerCycle;
import org.dp3q.bench.floor.FirstStartProbe;
import org.dp3q.bench.floor.SpawnProbe;
import org.dp3q.bench.machine.Machine;
import org.dp3q.bench.report.Row;

/**
 * What a dispatch gap is made of at best on this machine, each part measured alone: the broker's confirm of an
 * outcome event and its next delivery after an ack (prefetch 1, quorum queue), and starting and reaping one
 * subprocess from a JVM with the worker's options, the worker's way ({@code dp3q-exec}, vfork), through util-linux,
 * alone, and with the JDK's default launch mechanism, plus the worker's sweep after an exit. The dispatch gap minus
 * these is what the worker itself adds. Also the first start's floor ({@link FirstStartProbe}): what a JVM that only
 * publishes one task takes against {@code dp3q submit}.
 */
public final class FloorSection {
    private static final String SECTION = "floor";
    private static final int SAMPLES = 400;
    /** How long a short chunk runs, for the broker's round trips after a pause: 20 ms, the stand-in's shortest runs. */
    private static final long RUN_MS = 20;
    /** Launches of each command for the first start's floor, per run. */
    private static final int FIRST_STARTS = 10;

    private final BenchContext ctx;
    private final int runs;

    public FloorSection(BenchContext ctx, int runs) {
        this.ctx = ctx;
        this.runs = runs;
    }

    public void run() throws IOException, InterruptedException {
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            try (BenchVhost vhost = ctx.vhost("floor")) {
                BrokerCycle.Result b = BrokerCycle.measure(vhost.connect("dp3q-bench floor"), SAMPLES, 0);
                add(figures, "confirm50", b.confirmP50());
                add(figures, "confirm99", b.confirmP99());
                add(figures, "redeliver50", b.redeliverP50());
                add(figures, "redeliver99", b.redeliverP99());
            }
            try (BenchVhost vhost = ctx.vhost("floor-paused")) {
                BrokerCycle.Result b = BrokerCycle.measure(vhost.connect("dp3q-bench floor"), SAMPLES / 2, RUN_MS);
                add(figures, "pausedconfirm50", b.confirmP50());
                add(figures, "pausedredeliver50", b.redeliverP50());
                add(figures, "pausedcycle50", b.cycleP50());
            }
            for (BrokerCycle.Settle settle : List.of(BrokerCycle.Settle.PIPELINED, BrokerCycle.Settle.TRANSACTION)) {
                try (BenchVhost vhost = ctx.vhost("floor-" + settle.name().toLowerCase())) {
                    add(figures, "paused" + settle.name().toLowerCase() + "50",
                            BrokerCycle.measure(vhost.connect("dp3q-bench floor"), SAMPLES / 2, RUN_MS, settle).cycleP50());
                }
            }
            try (BenchVhost vhost = ctx.vhost("floor-classic")) {
                add(figures, "pausedclassicredeliver50", BrokerCycle.measure(vhost.connect("dp3q-bench floor"),
                        SAMPLES / 2, RUN_MS, BrokerCycle.Settle.CONFIRM_THEN_ACK, BrokerCycle.Source.CLASSIC_QUEUE)
                        .redeliverP50());
            }
            try (BenchVhost vhost = ctx.vhost("floor-first-start")) {
                FirstStartProbe.Result first = new FirstStartProbe(vhost, ctx.repo(), Path.of(benchJar()),
                        ctx.workDir("floor-first-start-run" + run), Machine.cliJavaOptions(ctx.repo())).measure(FIRST_STARTS);
                add(figures, "firstsubmit50", first.submitP50());
                add(figures, "firstpublish50", first.onePublishP50());
                add(figures, "firstlibraries50", first.librariesPublishP50());
                add(figures, "firstcommandline50", first.commandLinePublishP50());
                add(figures, "firstjvm50", first.jvmP50());
                ctx.say("floors run %d/%d: first start: dp3q submit %.0f ms, a JVM that only publishes %.0f ms (with"
                        + " picocli and Jackson %.0f ms, with dp3q's command line %.0f ms), java -version %.0f ms", run,
                        runs, first.submitP50(), first.onePublishP50(), first.librariesPublishP50(),
                        first.commandLinePublishP50(), first.jvmP50());
            }
            Map<String, double[]> spawn = spawnProbe(run, "");
            Map<String, double[]> jdkDefault = spawnProbe(run, "-Djdk.lang.Process.launchMechanism=POSIX_SPAWN");
            String fresh = spawn.containsKey("guarded-spawn") ? "guarded" : "utillinux";
            String worker = spawn.containsKey("resident-spawn") ? "resident" : fresh;
            if (!worker.equals(fresh)) {
                add(figures, "fresh50", spawn.get(fresh + "-spawn")[0]);
            }
            if (spawn.containsKey("helper-spawn")) {
                add(figures, "unguarded50", spawn.get("helper-spawn")[0]);
                add(figures, "unguardedreap50", spawn.get("helper-reap")[0]);
            }
            add(figures, "worker50", spawn.get(worker + "-spawn")[0]);
            add(figures, "worker99", spawn.get(worker + "-spawn")[1]);
            add(figures, "utillinux50", spawn.get("utillinux-spawn")[0]);
            add(figures, "bare50", spawn.get("bare-spawn")[0]);
            add(figures, "posixspawn50", jdkDefault.get(fresh + "-spawn")[0]);
            add(figures, "reap50", spawn.get(worker + "-reap")[0]);
            add(figures, "sweep50", spawn.get("sweep")[0]);
            ctx.say("floors run %d/%d: confirm %.2f ms, ack → next delivery %.2f ms (after %d ms runs: %.2f, %.2f), spawn %.2f"
                    + " ms (util-linux %.2f, alone %.2f, posix_spawn %.2f), reap %.2f ms, sweep %.2f ms", run, runs,
                    last(figures, "confirm50"), last(figures, "redeliver50"), RUN_MS, last(figures, "pausedconfirm50"),
                    last(figures, "pausedredeliver50"), last(figures, "worker50"), last(figures, "utillinux50"),
                    last(figures, "bare50"), last(figures, "posixspawn50"), last(figures, "reap50"), last(figures, "sweep50"));
        }
        String broker = "quorum queue, prefetch 1; stream";
        String jvm = "JVM with the worker's options";
        row("broker: outcome event publish → confirm, p50 (ms)", broker, figures.get("confirm50"));
        row("broker: outcome event publish → confirm, p99 (ms)", broker, figures.get("confirm99"));
        row("broker: ack → next delivery, p50 (ms)", broker, figures.get("redeliver50"));
        row("broker: ack → next delivery, p99 (ms)", broker, figures.get("redeliver99"));
        String paused = "the same, " + RUN_MS + " ms after each delivery";
        row("broker: outcome event publish → confirm, p50 (ms)", paused, figures.get("pausedconfirm50"));
        row("broker: ack → next delivery, p50 (ms)", paused, figures.get("pausedredeliver50"));
        row("broker: event publish → next delivery, confirm then ack (the worker's), p50 (ms)", paused,
                figures.get("pausedcycle50"));
        row("broker: event publish → next delivery, ack not waiting for the confirm, p50 (ms)", paused,
                figures.get("pausedpipelined50"));
        row("broker: event publish → next delivery, event and ack in one transaction, p50 (ms)", paused,
                figures.get("pausedtransaction50"));
        row("broker: ack → next delivery from a classic durable queue instead (no delivery count or limit, not"
                + " replicated: not dp3q's), p50 (ms)", paused, figures.get("pausedclassicredeliver50"));
        row("spawn: start() → tool running, the worker's way, p50 (ms)", jvm, figures.get("worker50"));
        row("spawn: start() → tool running, the worker's way, p99 (ms)", jvm, figures.get("worker99"));
        if (figures.containsKey("fresh50")) {
            row("spawn: a fresh dp3q-exec guardian per task (no resident one), p50 (ms)", jvm, figures.get("fresh50"));
        }
        if (figures.containsKey("unguarded50")) {
            row("spawn: dp3q-exec without a guardian (exec in place), p50 (ms)", jvm, figures.get("unguarded50"));
            row("reap: dp3q-exec without a guardian, p50 (ms)", jvm, figures.get("unguardedreap50"));
        }
        row("spawn: util-linux setpriv + setsid instead, p50 (ms)", jvm, figures.get("utillinux50"));
        row("spawn: the tool alone, p50 (ms)", jvm, figures.get("bare50"));
        row("spawn: a fresh guardian with the JDK's posix_spawn, p50 (ms)", jvm, figures.get("posixspawn50"));
        row("reap: tool exit → the worker has its end (the guardian's report, else waitFor()), p50 (ms)", jvm, figures.get("reap50"));
        row("sweep after an exit (/proc scan, no fork), p50 (ms)", jvm, figures.get("sweep50"));
        String cli = "launch → delivered to a prefetch-1 consumer, " + FIRST_STARTS + " each, the command line's JVM options";
        row("first start: dp3q submit of one chunk, p50 (ms)", cli, figures.get("firstsubmit50"));
        row("first start: a JVM that only connects, publishes one task and awaits the confirm, p50 (ms)",
                cli + ", a class-data archive of its own", figures.get("firstpublish50"));
        row("first start: the same JVM, picocli reading its options and Jackson writing the task, p50 (ms)",
                cli + ", a class-data archive of its own", figures.get("firstlibraries50"));
        row("first start: the same JVM, picocli building dp3q's own submit command line instead, p50 (ms)",
                cli + ", a class-data archive of its own", figures.get("firstcommandline50"));
        row("first start: java -version, launch → exit, p50 (ms)", "the same options, the JDK's class-data archive",
                figures.get("firstjvm50"));
        List<Double> sum = new ArrayList<>();
        for (int i = 0; i < figures.get("confirm50").size(); i++) {
            sum.add(figures.get("confirm50").get(i) + figures.get("redeliver50").get(i) + figures.get("worker50").get(i)
                    + figures.get("reap50").get(i));
        }
        row("sum: confirm + ack → delivery + spawn + reap, p50 (ms)", "the gap's floor without the worker's own work", sum);
        List<Double> pausedSum = new ArrayList<>();
        for (int i = 0; i < figures.get("pausedconfirm50").size(); i++) {
            pausedSum.add(figures.get("pausedconfirm50").get(i) + figures.get("pausedredeliver50").get(i)
                    + figures.get("worker50").get(i) + figures.get("reap50").get(i));
        }
        row("sum: confirm + ack → delivery + spawn + reap, p50 (ms)", "the same, the broker's round trips after "
                + RUN_MS + " ms runs", pausedSum);
    }

    private void row(String figure, String config, List<Double> values) {
        ctx.report().add(Row.of(SECTION, figure, config, 2, values, null));
    }

    /** Runs {@link SpawnProbe} in a JVM with the worker's options plus {@code extra}; name → {p50, p99}. */
    private Map<String, double[]> spawnProbe(int run, String extra) throws IOException, InterruptedException {
        Path dir = ctx.workDir("floor-spawn-run" + run + (extra.isEmpty() ? "" : "-posix-spawn"));
        List<String> command = new ArrayList<>();
        command.add(Machine.java());
        command.addAll(List.of(Machine.workerJavaOptions(ctx.repo()).trim().split("\\s+")));
        if (!extra.isEmpty()) {
            command.add(extra);
        }
        command.addAll(List.of("-cp", benchJar(), SpawnProbe.class.getName(), ctx.standin().toString(), dir.toString(),
                Integer.toString(SAMPLES)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("the spawn probe failed: " + out);
        }
        Map<String, double[]> result = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3) {
                try {
                    result.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
                } catch (NumberFormatException ignored) {
                    // a JVM warning line
                }
            }
        }
        return result;
    }

    private static String benchJar() {
        try {
            return Path.of(FloorSection.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(Map<String, List<Double>> figures, String key, double value) {
        figures.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static double last(Map<String, List<Double>> figures, String key) {
        List<Double> values = figures.get(key);
        return values.get(values.size() - 1);
    }
}
