package org.dp3q.bench.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real worker, launched as users launch it: {@code bin/dp3q-worker} (which execs the JVM with its default
 * options, or {@code $DP3Q_WORKER_JAVA_OPTS}), so the pid is the JVM's and its RSS is the worker's.
 */
public final class WorkerProcess implements AutoCloseable {
    /** Every worker this benchmark started and has not yet seen exit, so an interrupted run leaves none behind. */
    private static final java.util.Set<WorkerProcess> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(w -> w.process.destroyForcibly())));
    }

    private final Process process;
    private final long startedNanos;
    private final Path log;

    private WorkerProcess(Process process, long startedNanos, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.log = log;
    }

    /**
     * @param tool   the executable behind tool name {@code DP3}
     * @param record where the stand-in records its runs ({@code STANDIN_RECORD}), or null
     */
    public static WorkerProcess start(Path repo, String brokerUri, int slots, String tag, Path tool, Path workDir,
                                      Path record) throws IOException {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(repo.resolve("bin/dp3q-worker").toString(),
                "--broker", brokerUri, "--slots", Integer.toString(slots), "--tag", tag,
                "--tool", "DP3=" + tool, "--log-dir", workDir.resolve("logs").toString(),
                "--drain-timeout", "30s", "--broker-timeout", "30s"));
        Path log = workDir.resolve(tag + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("DP3Q_BROKER");
        if (record != null) {
            builder.environment().put("STANDIN_RECORD", record.toString());
        }
        long started = System.nanoTime();
        WorkerProcess worker = new WorkerProcess(builder.start(), started, log);
        LIVE.add(worker);
        worker.process.onExit().thenRun(() -> LIVE.remove(worker));
        return worker;
    }

    public long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the launch. */
    public long startedNanos() {
        return startedNanos;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ProcStatus status() throws IOException {
        return ProcStatus.of(pid());
    }

    /** SIGTERM: the worker drains and exits 0. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM (the worker drains and exits 0); SIGKILL if it is still there after {@code wait}. Returns the exit code. */
    public int stop(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() {
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
