package org.dp3q.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code dp3q-worker} JVM started from the packaged jar, with the DP3 stand-in as its DP3. */
public final class WorkerProcess {
    private final Process process;
    private final Path log;
    private final String tag;
    private volatile long killedAtNs = -1;

    private WorkerProcess(Process process, Path log, String tag) {
        this.process = process;
        this.log = log;
        this.tag = tag;
    }

    static WorkerProcess start(String brokerUri, Path workDir, String tag, int slots, String... extraArgs)
            throws IOException {
        return start(brokerUri, java.util.Map.of(), workDir, tag, slots, extraArgs);
    }

    /** As above, with {@code env} added to the worker's environment (e.g. {@code DP3Q_BROKER_PASSWORD}). */
    static WorkerProcess start(String brokerUri, java.util.Map<String, String> env, Path workDir, String tag, int slots,
                               String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Jars.java(), "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", Jars.worker(),
                "--broker", brokerUri, "--slots", Integer.toString(slots), "--tag", tag,
                "--tool", "DP3=" + Jars.standin(), "--broker-timeout", "60s"));
        if (!List.of(extraArgs).contains("--log-dir")) {
            command.addAll(List.of("--log-dir", workDir.resolve("logs").toString()));
        }
        // the tests of a run that dies with its delivery; the tests of claims give their own lease
        if (!List.of(extraArgs).contains("--claim-lease")) {
            command.addAll(List.of("--claim-lease", "0"));
        }
        command.addAll(List.of(extraArgs));
        Path log = workDir.resolve("worker-" + tag + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("STANDIN_RECORD", workDir.resolve("standin.record").toString());
        builder.environment().putAll(env);
        return new WorkerProcess(builder.start(), log, tag);
    }

    public long pid() {
        return process.pid();
    }

    public String tag() {
        return tag;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM: the worker drains. */
    public void terminate() {
        process.destroy();
    }

    /** {@code kill -9}: no chance to clean up. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        killedAtNs = epochNanos();
    }

    /**
     * When the worker killed by {@link #kill9()} was gone (reaped, so its subprocesses had their parent-death
     * signal), in ns since the epoch like the stand-in's record; -1 if never killed.
     */
    public long killedAtNs() {
        return killedAtNs;
    }

    /** Now in ns since the epoch, the clock of the stand-in's {@code date +%s%N}. */
    public static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("worker " + tag + " did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
