package org.dp3q.worker.process;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each running subprocess tree from {@code /proc}, for the whole worker on one thread. Every interval it reads the stat of every process of each tracked session (each subprocess leads its own,
 * and its children stay in it even when they make their own process group, as {@code timeout} does) and takes,
 * per session: CPU = the sum over its live processes of their own CPU time plus that of the children they
 * already reaped (so a finished child still counts, once); memory = the sum of their resident sets. The figures
 * kept are the largest seen.
 *
 * <p>A look at every process on the machine costs about a millisecond per hundred processes, so it is not taken
 * every interval: the sampler reads the members it knows and their main threads' children (which finds what a
 * shell, a wrapper or DP3 itself starts), and looks at every process only once per {@link #FULL_SCAN_EVERY_MS}
 * ({@link #LIVE_FULL_SCAN_EVERY_MS} for live figures), for members nothing else finds (forked by another thread, or
 * reparented to init). What a tree burns in its last interval, and children reaped by init after their parent
 * died, are not seen: figures err low by at most one interval's CPU. Only samples while some subprocess runs.
 *
 * <p>Where a guardian measures each run as it ends (see {@link UsageReport}), these figures only need to be
 * live ones, for the dashboard and the announcements: {@link #LIVE}, a tenth of the cost of {@link #EXACT}. Their
 * look at every process is rarer too: with a hundred processes on the machine it was half of the sampler's CPU while
 * two long chunks ran (about 0.5 of 1.0 ms per second), and a member it finds late only shows late on the dashboard.
 */
public final class ProcSampler implements AutoCloseable {
    /** The interval when these figures are the ones reported at a run's end (no guardian measures it). */
    public static final Duration EXACT = Duration.ofMillis(100);
    /** The interval when a guardian measures each run's end: sampling then only feeds live figures. */
    public static final Duration LIVE = Duration.ofSeconds(1);
    static final long FULL_SCAN_EVERY_MS = 5000;
    /** The look at every process of live figures ({@link #LIVE}). */
    static final long LIVE_FULL_SCAN_EVERY_MS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(ProcSampler.class);
    private static final long TICK_MS = 10;      // USER_HZ is 100 on Linux
    private static final long PAGE_KB = 4;

    private final Map<Long, Tracked> groups = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "proc-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final boolean available = ProcScan.available();
    private final int fullScanEvery;
    private int sinceFullScan;

    /** A tracked session: the largest figures seen, and the pids last seen in it (the sampler thread's own). */
    private static final class Tracked {
        final long[] usage = new long[2];
        Set<Long> members = new HashSet<>();
    }

    public ProcSampler() {
        this(EXACT);
    }

    /** Sampling every {@code interval}. */
    public ProcSampler(Duration interval) {
        long ms = interval.toMillis();
        boolean live = interval.compareTo(LIVE) >= 0;
        long fullScanMs = live ? LIVE_FULL_SCAN_EVERY_MS : FULL_SCAN_EVERY_MS;
        this.fullScanEvery = (int) Math.max(1, fullScanMs / ms);
        if (available) {
            timer.scheduleWithFixedDelay(this::sampleSafely, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            LOG.warn("/proc is not readable: subprocess CPU and memory will not be reported");
        }
    }

    /** Starts measuring the session led by {@code leader}. */
    public void track(long leader) {
        Tracked tracked = new Tracked();
        tracked.members.add(leader);
        groups.put(leader, tracked);
    }

    /** The tree's usage so far, without stopping. */
    public TreeUsage current(long leader) {
        Tracked tracked = groups.get(leader);
        return tracked == null ? TreeUsage.NONE : toUsage(tracked.usage);
    }

    /** Stops measuring and returns the largest figures seen. */
    public TreeUsage finish(long leader) {
        Tracked tracked = groups.remove(leader);
        return tracked == null ? TreeUsage.NONE : toUsage(tracked.usage);
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
        Map<Long, Set<Long>> found = ++sinceFullScan >= fullScanEvery ? fullScan() : null;
        if (found != null) {
            sinceFullScan = 0;
        }
        groups.forEach((session, tracked) -> {
            Set<Long> members = tracked.members;
            if (found != null) {
                members.addAll(found.getOrDefault(session, Set.of()));
            }
            long[] total = new long[2];
            tracked.members = measure(session, members, total);
            synchronized (tracked.usage) {
                tracked.usage[0] = Math.max(tracked.usage[0], total[0]);
                tracked.usage[1] = Math.max(tracked.usage[1], total[1]);
            }
        });
    }

    /** Every process of a tracked session, by session. */
    private Map<Long, Set<Long>> fullScan() throws IOException {
        Map<Long, Set<Long>> found = new HashMap<>();
        for (ProcStat stat : ProcScan.all()) {
            if (groups.containsKey(stat.session())) {
                found.computeIfAbsent(stat.session(), s -> new HashSet<>()).add(stat.pid());
            }
        }
        return found;
    }

    /**
     * Reads {@code candidates} and, through the children lists, their descendants; adds up those still in
     * {@code session} into {@code total}; returns them.
     */
    private static Set<Long> measure(long session, Set<Long> candidates, long[] total) {
        Set<Long> members = new HashSet<>();
        java.util.ArrayDeque<Long> pending = new java.util.ArrayDeque<>(candidates);
        Set<Long> looked = new HashSet<>(candidates);
        while (!pending.isEmpty()) {
            long pid = pending.poll();
            ProcStat stat = ProcScan.of(pid);
            if (stat != null && pid == session) {
                members.add(pid);   // the leader, also in the moment before it has made its session
            }
            if (stat == null || stat.session() != session) {
                continue;
            }
            members.add(pid);
            total[0] += stat.cpuTicks();
            total[1] += stat.rssPages();
            for (long child : ProcScan.children(pid)) {
                if (looked.add(child)) {
                    pending.add(child);
                }
            }
        }
        return members;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
