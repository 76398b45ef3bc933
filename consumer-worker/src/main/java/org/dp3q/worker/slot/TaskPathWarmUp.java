package org.dp3q.worker.slot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.dp3q.worker.process.LaunchSpec;
import org.dp3q.worker.process.SubprocessLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the worker's own share of a task's path before the first slot consumes, so that the JIT has compiled it
 * when the first chunk comes: a fresh worker compiled it during its first tasks, on the same cores as the tools
 * (4 workers x 1 slot, 400 chunks, cold: the compiler thread took about 2 ms of CPU per task, as much as the slot
 * thread, and the gap p99 was twice a warm worker's). It decodes and checks a task and writes its events and claim
 * records ({@link CodecWarmUp}) {@value #CODEC_ROUNDS} times, then rehearses a slot's whole path through the broker
 * with {@code true} as the tool ({@link SlotRehearsal}). Where the broker user may not rehearse, it starts {@code
 * true} through the launcher the slots use (guardian, log file, environment, reaping, usage) {@value #RUNS} times
 * instead, in a scratch folder it deletes after. A warm-up that cannot run is skipped with a note in the log, never
 * a reason not to start. Measured (bench/run, the cold run above, 4 alternating runs each): the local warm-up took
 * the worker's CPU from 8.2 to 6.7 ms per task and the gap p99 from 27 to 23 ms; a worker was ready about 0.25 s
 * later.
 */
public final class TaskPathWarmUp {
    /** The worker's JVM compiles a method after a twentieth of the usual 200 calls: a few dozen calls reach it. */
    static final int CODEC_ROUNDS = 60;
    static final int RUNS = 30;
    private static final List<Path> TRUE = List.of(Path.of("/bin/true"), Path.of("/usr/bin/true"));
    private static final Duration RUN_LIMIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(TaskPathWarmUp.class);

    /** The codec's share, on a thread of its own from {@link #begin}; it needs neither the broker nor a launcher. */
    private final CompletableFuture<Void> codec;
    private final long start = System.nanoTime();

    private TaskPathWarmUp(CompletableFuture<Void> codec) {
        this.codec = codec;
    }

    /**
     * What a warm-up did: decodes of the sample task, tasks rehearsed through the broker, runs of {@code true}
     * without it, and how long it all took.
     */
    public record Done(int decodes, int rehearsed, int runs, Duration took) {
    }

    /**
     * Starts the codec's share on a thread of its own, so that it runs while the worker starts its JVM's classes and
     * connects (it took 170-190 ms of a worker's start); {@link #finish} does the rest.
     */
    public static TaskPathWarmUp begin() {
        CompletableFuture<Void> codec = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                for (int round = 0; round < CODEC_ROUNDS; round++) {
                    CodecWarmUp.run();
                }
                codec.complete(null);
            } catch (RuntimeException e) {
                codec.completeExceptionally(e);
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
        return new TaskPathWarmUp(codec);
    }

    /**
     * Finishes the warm-up: waits for the codec's share, then {@code throughBroker} rehearses the path with the tool
     * it is given and returns how many tasks it settled (0: it could not); the runs without it go through
     * {@code launcher} on the calling thread, in a folder under {@code logDir}.
     */
    public Done finish(SubprocessLauncher launcher, Path logDir, ToIntFunction<Path> throughBroker) {
        return finish(launcher, logDir, TRUE, throughBroker);
    }

    /** As {@link #finish(SubprocessLauncher, Path, ToIntFunction)}, with the first executable of {@code tools} as {@code true}. */
    Done finish(SubprocessLauncher launcher, Path logDir, List<Path> tools, ToIntFunction<Path> throughBroker) {
        codec.exceptionally(e -> {
            LOG.info("skipped the rest of the codec's warm-up: {}", e.toString());
            return null;
        }).join();
        Optional<Path> tool = tools.stream().filter(Files::isExecutable).findFirst();
        int rehearsed = tool.map(throughBroker::applyAsInt).orElse(0);
        int runs = rehearsed > 0 ? 0 : tool.map(path -> rehearse(launcher, path, logDir)).orElse(0);
        Done done = new Done(CODEC_ROUNDS, rehearsed, runs, Duration.ofNanos(System.nanoTime() - start));
        LOG.info("warmed the task path in {} ms from the worker's start ({} decodes, {})", done.took().toMillis(),
                done.decodes(), rehearsed > 0 ? rehearsed + " tasks through the broker" : runs + " runs of true");
        return done;
    }

    /** Starts {@code tool} {@value #RUNS} times as a chunk's tool is started; returns how many ran. */
    private static int rehearse(SubprocessLauncher launcher, Path tool, Path logDir) {
        Path scratch = null;
        int ran = 0;
        try {
            scratch = Files.createDirectories(logDir.resolve(".dp3q").resolve("warm-up-" + ProcessHandle.current().pid()));
            LaunchSpec spec = new LaunchSpec(tool, List.of("msin=warm-up.ms", "msout=.", "steps=[]"), scratch,
                    Map.of("OMP_NUM_THREADS", "1"), scratch.resolve("warm-up.log"), RUN_LIMIT);
            for (; ran < RUNS; ran++) {
                launcher.start(spec).await(RUN_LIMIT);
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("skipped the rest of the warm-up runs of {} after {}: {}", tool, ran, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            launcher.releaseGuardian();
            delete(scratch);
        }
        return ran;
    }

    static void delete(Path scratch) {
        if (scratch == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(scratch)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", scratch, e.toString());
        }
    }
}
