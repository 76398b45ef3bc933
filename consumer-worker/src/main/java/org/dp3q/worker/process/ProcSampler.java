package org.dp3q.worker.process;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each running subprocess tree from {@code /proc}, for the whole worker on one thread. Every
 * {@link #INTERVAL_MS} it reads the stat of every process, groups them by session (each subprocess leads
 * its own, and its children stay in it even when they make their own process group, as {@code timeout} does)
 * and takes, per session: CPU = the sum over its live processes of their own CPU time plus
 * that of the children they already reaped (so a finished child still counts, once); memory = the sum of
 * their resident sets. The figures kept are the largest seen. What a tree burns in its last interval, and
 * children reaped by init after their parent died, are not seen: figures err low by at most one interval's CPU.
 * Only scans while some subprocess runs.
 */
public final class ProcSampler implements AutoCloseable {
    public static final long INTERVAL_MS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ProcSampler.class);
    private static final long TICK_MS = 10;      // USER_HZ is 100 on Linux
    private static final long PAGE_KB = 4;

    private final Map<Long, long[]> groups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "proc-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final boolean available = ProcScan.available();

    public ProcSampler() {
        if (available) {
            timer.scheduleWithFixedDelay(this::sampleSafely, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        } else {
            LOG.warn("/proc is not readable: subprocess CPU and memory will not be reported");
        }
    }

    /** Starts measuring the group led by {@code pgid}. */
    public void track(long pgid) {
        groups.put(pgid, new long[2]);
    }

    /** The tree's usage so far, without stopping. */
    public TreeUsage current(long pgid) {
        long[] usage = groups.get(pgid);
        return usage == null ? TreeUsage.NONE : toUsage(usage);
    }

    /** Stops measuring and returns the largest figures seen. */
    public TreeUsage finish(long pgid) {
        long[] usage = groups.remove(pgid);
        return usage == null ? TreeUsage.NONE : toUsage(usage);
    }

    private static TreeUsage toUsage(long[] usage) {
        synchronized (usage) {
            return new TreeUsage(usage[0] * TICK_MS, usage[1] * PAGE_KB);
        }
    }

    private void sampleSafely() {
        try {
            if (!groups.isEmpty()) {
                sample();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("sampling /proc: {}", e.toString());
        }
    }

    private void sample() throws IOException {
        Map<Long, long[]> totals = new HashMap<>();
        for (ProcStat stat : ProcScan.all()) {
            if (groups.containsKey(stat.session())) {
                long[] total = totals.computeIfAbsent(stat.session(), g -> new long[2]);
                total[0] += stat.cpuTicks();
                total[1] += stat.rssPages();
            }
        }
        totals.forEach((session, total) -> {
            long[] usage = groups.get(session);
            if (usage != null) {
                synchronized (usage) {
                    usage[0] = Math.max(usage[0], total[0]);
                    usage[1] = Math.max(usage[1], total[1]);
                }
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
