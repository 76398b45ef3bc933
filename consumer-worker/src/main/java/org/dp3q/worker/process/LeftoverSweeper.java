package org.dp3q.worker.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills what a finished tool left running in its process group or session, on one thread for the whole
 * worker, so the slot goes on to its next task at once: children a tool left behind must not outlive
 * its chunk, but looking for them is not worth delaying the next chunk. A look at {@code /proc} costs
 * milliseconds of CPU, so the sweeper looks at most once per {@link #PACE} and sweeps every group that
 * ended meanwhile with that one look: with many slots running short tasks it would otherwise take a core. A
 * guardian ({@code dp3q-exec --guard}) sweeps its own run before it ends, and needs no look at all.
 */
public final class LeftoverSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweeper.class);
    static final Duration PACE = Duration.ofMillis(50);
    private static final long NONE = 0;

    private final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();
    private final Thread thread = new Thread(this::sweepUntilClosed, "leftover-sweeper");

    private record Ended(long leader, Runnable whenGone) {
    }

    public LeftoverSweeper() {
        thread.setDaemon(true);
        thread.start();
    }

    /** Kills the rest of the tree led by {@code leader} soon; then runs {@code whenGone}. */
    public void sweep(long leader, Runnable whenGone) {
        ended.add(new Ended(leader, whenGone));
    }

    /** Runs {@code whenGone} soon, without a look at {@code /proc}: a tree its guardian swept already. */
    public void forget(Runnable whenGone) {
        ended.add(new Ended(NONE, whenGone));
    }

    private void sweepUntilClosed() {
        try {
            long lastSweep = System.nanoTime() - PACE.toNanos();
            while (true) {
                List<Ended> batch = new ArrayList<>();
                batch.add(ended.take());
                Thread.sleep(Math.max(0, PACE.toMillis() - (System.nanoTime() - lastSweep) / 1_000_000));
                ended.drainTo(batch);
                lastSweep = System.nanoTime();
                sweepNow(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sweepNow(List<Ended> batch) {
        Set<Long> leaders = batch.stream().map(Ended::leader).filter(leader -> leader != NONE).collect(Collectors.toSet());
        try {
            Set<Long> stillRunning = leaders.isEmpty() ? Set.of() : ProcessGroup.killAll(leaders);
            batch.stream().filter(ended -> !stillRunning.contains(ended.leader())).forEach(ended -> ended.whenGone().run());
        } catch (RuntimeException e) {
            LOG.warn("sweeping the process groups {}: {}", leaders, e.toString());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
