package org.dp3q.bench.floor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dp3q.bench.standin.StandinRuns;
import org.dp3q.bench.standin.StandinRuns.Run;
import org.dp3q.bench.stats.Stats;
import org.dp3q.worker.process.ExecWrapper;
import org.dp3q.worker.process.LaunchMechanism;
import org.dp3q.worker.process.LaunchSpec;
import org.dp3q.worker.process.ProcessGroup;
import org.dp3q.worker.process.ResidentGuardian;

/**
 * Run in a JVM of its own, started with the worker's JVM options: what starting and reaping one subprocess
 * costs from Java, the way the worker starts one (its slot's resident guardian, {@code dp3q-exec --resident}, started
 * once and handed each command down its ping pipe; the end is in hand when its report ends), through a fresh {@code dp3q-exec}
 * guardian per run (its launch mechanism, stdin the ping pipe, output appended to a log), through {@code dp3q-exec}
 * without a guardian (it execs
 * the tool in place, stdin from /dev/null), through util-linux {@code setpriv --pdeathsig KILL setsid} instead,
 * and the tool alone; and what the worker's sweep after a tool's exit costs (one look at {@code /proc}, for a
 * group that is already gone, as it usually is). Prints {@code name p50 p99} lines in ms.
 *
 * <p>Arguments: STANDIN WORKDIR COUNT.
 */
public final class SpawnProbe {
    private static final int WARMUP = 50;
    private static final long NO_SUCH_GROUP = 2_147_483_000L;

    private SpawnProbe() {
    }

    public static void main(String[] args) throws Exception {
        LaunchMechanism.preferVfork();
        Path standin = Path.of(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        var helper = ExecWrapper.helper(dir.resolve("helper"));
        if (helper.isPresent()) {
            // as the worker's default with its default heartbeat (15 s): a guard of 7.5 s
            List<String> guard = List.of("--guard=7500", "--record=" + dir.resolve("guard.record"));
            measureResident(helper.get(), standin, dir, count);
            measure("guarded", helper.get().prefix(guard), true, standin, dir, count);
            measure("helper", helper.get().prefix(), false, standin, dir, count);
        }
        measure("utillinux", ExecWrapper.utilLinux().prefix(), false, standin, dir, count);
        measure("bare", List.of(), false, standin, dir, count);
        double[] sweep = new double[count];
        for (int i = -WARMUP; i < count; i++) {
            long t0 = System.nanoTime();
            ProcessGroup.kill(NO_SUCH_GROUP);
            if (i >= 0) {
                sweep[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        print("sweep", sweep);
    }

    private static void measure(String name, List<String> wrapper, boolean pingPipe, Path standin, Path dir, int count)
            throws IOException, InterruptedException {
        Path record = dir.resolve(name + ".record");
        Path log = dir.resolve(name + ".log");
        File devNull = new File("/dev/null");
        long[] before = new long[count];
        long[] after = new long[count];
        for (int i = -WARMUP; i < count; i++) {
            List<String> argv = new ArrayList<>(wrapper);
            argv.add(standin.toString());
            argv.add("msin=/data/probe.ms");
            argv.add("probe.index=" + i);
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectInput(pingPipe ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(devNull))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
            builder.environment().put("STANDIN_RECORD", i < 0 ? "/dev/null" : record.toString());
            long t0 = epochNs();
            Process p = builder.start();
            p.waitFor();
            long t1 = epochNs();
            if (i >= 0) {
                before[i] = t0;
                after[i] = t1;
            }
        }
        report(name, record, before, after, count);
    }

    private static void report(String name, Path record, long[] before, long[] after, int count) throws IOException {
        List<Run> runs = StandinRuns.read(record);
        if (runs.size() != count) {
            throw new IOException(name + ": the stand-in recorded " + runs.size() + " of " + count + " runs");
        }
        double[] spawn = new double[count];
        double[] reap = new double[count];
        for (int i = 0; i < count; i++) {
            spawn[i] = (runs.get(i).startNs() - before[i]) / 1e6;
            reap[i] = (after[i] - runs.get(i).endNs()) / 1e6;
        }
        print(name + "-spawn", spawn);
        print(name + "-reap", reap);
    }

    /** From a command written down the resident guardian's pipe to the tool's start; from its end to the report's end. */
    private static void measureResident(ExecWrapper helper, Path standin, Path dir, int count)
            throws IOException, InterruptedException {
        Path record = dir.resolve("resident.record");
        List<String> resident = helper.prefix(List.of("--guard=7500", "--record=" + dir.resolve("guard.record"),
                "--usage", "--resident"));
        Process p = new ProcessBuilder(resident).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long[] before = new long[count];
        long[] after = new long[count];
        for (int i = -WARMUP; i < count; i++) {
            byte[] command = ResidentGuardian.command(new LaunchSpec(standin, List.of("msin=/data/probe.ms",
                    "probe.index=" + i), null, Map.of("STANDIN_RECORD", i < 0 ? "/dev/null" : record.toString()),
                    dir.resolve("resident.log"), null), "probe-" + i);
            long t0 = epochNs();
            p.getOutputStream().write(command);
            p.getOutputStream().flush();
            readReport(p);
            long t1 = epochNs();
            if (i >= 0) {
                before[i] = t0;
                after[i] = t1;
            }
        }
        p.getOutputStream().close();
        p.waitFor();
        report("resident", record, before, after, count);
    }

    /** Reads a guardian's output up to its report's last line ({@code status=N}). */
    private static void readReport(Process p) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().contains("status=") || text.charAt(text.length() - 1) != '\n') {
            int c = p.getInputStream().read();
            if (c < 0) {
                throw new IOException("the resident guardian ended: " + text);
            }
            text.append((char) c);
        }
    }

    private static void print(String name, double[] ms) {
        System.out.printf(Locale.ROOT, "%s %.4f %.4f%n", name, Stats.percentile(ms, 50), Stats.percentile(ms, 99));
    }

    private static long epochNs() {
        return StandinRuns.epochNs(Instant.now());
    }
}
