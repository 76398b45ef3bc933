package org.dp3q.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Notes when watched processes stop running (gone or a zombie), polling /proc every 2 ms, in epoch nanoseconds
 * like the stand-in's own timestamps. A run killed with SIGKILL cannot record its end; this is its end. The pids to
 * watch are asked for again every 10 ms, so processes that start while it watches are watched too.
 */
public final class DeathWatch implements AutoCloseable {
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> deaths = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closed;

    private final Supplier<Collection<Long>> pids;

    public DeathWatch(Supplier<Collection<Long>> pids) {
        this.pids = pids;
        watched.addAll(pids.get());
        poller = new Thread(this::poll, "death-watch");
        poller.setDaemon(true);
        poller.start();
    }

    /** When {@code pid} was first seen not running, in epoch ns; null if it still ran when the watch ended. */
    public Long deathNs(long pid) {
        return deaths.get(pid);
    }

    private void poll() {
        long round = 0;
        while (!closed) {
            if (++round % 5 == 0) {
                watched.addAll(pids.get());
            }
            for (long pid : watched) {
                if (!deaths.containsKey(pid) && !running(pid)) {
                    Instant now = Instant.now();
                    deaths.put(pid, now.getEpochSecond() * 1_000_000_000L + now.getNano());
                }
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        poller.join(1000);
    }
}
