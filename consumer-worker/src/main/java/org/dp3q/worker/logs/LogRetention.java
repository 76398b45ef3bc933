package org.dp3q.worker.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes attempt logs older than {@code --log-retention} from {@code --log-dir}, on a thread of its own, off
 * the dispatch path. The log of a task held failed ({@link HeldLogs}) stays until a later attempt of the task
 * is logged beside it (it was replayed) or until it is {@value #HELD_FACTOR} times the retention old.
 */
public final class LogRetention implements AutoCloseable {
    static final int HELD_FACTOR = 4;
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
    private static final Duration FIRST_SWEEP = Duration.ofMinutes(1);
    private static final Duration LONGEST_PAUSE = Duration.ofHours(1);

    private final Path root;
    private final Duration retention;
    private final Clock clock;
    private ScheduledExecutorService thread;

    public LogRetention(Path root, Duration retention, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.retention = retention;
        this.clock = clock;
    }

    /** Sweeps a minute after start, then every quarter of the retention, at least hourly. */
    public LogRetention start() {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "log-retention");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        long pauseMs = Math.max(1000, Math.min(LONGEST_PAUSE.toMillis(), retention.toMillis() / 4));
        thread.scheduleWithFixedDelay(this::sweepQuietly, Math.min(FIRST_SWEEP.toMillis(), pauseMs), pauseMs,
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void sweepQuietly() {
        try {
            int removed = sweep();
            if (removed > 0) {
                LOG.info("removed {} attempt log(s) older than --log-retention {} from {}", removed, retention, root);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot clean old attempt logs in {} now: {}", root, e.toString());
        }
    }

    /** One pass over {@code <log-dir>/<batch>/*.log}; returns how many logs it removed. */
    public int sweep() throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Instant now = clock.instant();
        int removed = 0;
        try (Stream<Path> batches = Files.list(root)) {
            for (Path batch : batches.filter(p -> !p.getFileName().toString().startsWith(".")
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                removed += sweepBatch(batch, now);
            }
        }
        return removed;
    }

    private int sweepBatch(Path batch, Instant now) throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(batch)) {
            logs = files.filter(p -> p.getFileName().toString().endsWith(".log")
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        int removed = 0;
        for (Path log : logs) {
            Instant modified = Files.getLastModifiedTime(log).toInstant();
            if (!modified.isBefore(now.minus(retention)) || keptForReplay(log, logs, modified, now)) {
                continue;
            }
            Files.deleteIfExists(log);
            Files.deleteIfExists(HeldLogs.marker(log));
            removed++;
        }
        return removed;
    }

    private boolean keptForReplay(Path log, List<Path> logs, Instant modified, Instant now) {
        if (!Files.exists(HeldLogs.marker(log)) || modified.isBefore(now.minus(retention.multipliedBy(HELD_FACTOR)))) {
            return false;
        }
        String task = taskOf(log);
        return logs.stream().noneMatch(other -> other != log && taskOf(other).equals(task) && isNewer(other, modified));
    }

    /** {@code <task>.attempt<N>.<time>.log} → {@code <task>}. */
    static String taskOf(Path log) {
        String name = log.getFileName().toString();
        int at = name.lastIndexOf(".attempt");
        return at < 0 ? name : name.substring(0, at);
    }

    private static boolean isNewer(Path other, Instant than) {
        try {
            return Files.getLastModifiedTime(other).toInstant().isAfter(than);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
