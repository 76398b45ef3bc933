package org.dp3q.it.support;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks at the SLURM queue every 250 ms for the jobs of one name, from a thread of its own, and keeps what a test
 * asserts and measures: the most jobs seen at once, when one first ran, when the queue last had one.
 */
public final class SlurmQueueWatch implements AutoCloseable {
    private final LocalSlurm slurm;
    private final String name;
    private final Thread thread;
    private final Set<String> seenIds = new LinkedHashSet<>();
    private volatile boolean closed;
    private int maxAtOnce;
    private int current;
    private long firstRunningAtMs = -1;
    private long lastNonEmptyAtMs = -1;

    public SlurmQueueWatch(LocalSlurm slurm, String name) {
        this.slurm = slurm;
        this.name = name;
        this.thread = new Thread(this::watch, "slurm-watch-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (!closed) {
            try {
                String out = slurm.run(30, List.of("squeue", "-h", "-n", name, "-o", "%i %T"), Map.of());
                long now = System.currentTimeMillis();
                List<String[]> jobs = out.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")).toList();
                synchronized (this) {
                    current = jobs.size();
                    maxAtOnce = Math.max(maxAtOnce, current);
                    jobs.forEach(j -> seenIds.add(j[0]));
                    if (current > 0) {
                        lastNonEmptyAtMs = now;
                    }
                    if (firstRunningAtMs < 0 && jobs.stream().anyMatch(j -> j[1].equals("RUNNING"))) {
                        firstRunningAtMs = now;
                    }
                }
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // squeue failed once; look again
            }
        }
    }

    public synchronized int current() {
        return current;
    }

    public synchronized int maxAtOnce() {
        return maxAtOnce;
    }

    public synchronized Set<String> seenIds() {
        return Set.copyOf(seenIds);
    }

    public synchronized long firstRunningAtMs() {
        return firstRunningAtMs;
    }

    public synchronized long lastNonEmptyAtMs() {
        return lastNonEmptyAtMs;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
