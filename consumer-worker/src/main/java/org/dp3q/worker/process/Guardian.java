package org.dp3q.worker.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the guardians: {@code dp3q-exec --guard} stays as each tool's parent, outside the JVM,
 * and kills the tool's process group when the worker stops pinging it for {@link #timeout()}. A JVM that is
 * stopped (SIGSTOP, a paused VM, a swap storm) sends no heartbeat either, and the broker soon hands its chunk
 * to another worker; the guardian makes sure the frozen copy is dead by then. One thread pings every running
 * guardian: an 8-byte 0 down its standard input, several times per timeout. A run under a claim also gets a
 * lease: an 8-byte {@link BootClock} millisecond until which it may outlive its pings (see {@link Link}). A
 * guardian stopped with its group (an operator's {@code kill -STOP}) reads the pings when it runs again; stopped
 * for more than 8192 pings (2 hours at one a second) its full pipe would block this thread, and the other
 * guardians would kill.
 */
public final class Guardian implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Guardian.class);
    /** Used when heartbeats are off: the broker then never drops a silent connection, so nothing overlaps. */
    static final Duration WITHOUT_HEARTBEAT = Duration.ofSeconds(30);
    private static final int PINGS_PER_TIMEOUT = 5;
    private static final Duration MAX_PING_INTERVAL = Duration.ofSeconds(1);

    private final Duration timeout;
    private final Path recordDir;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "guardian-pinger");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        return thread;
    });

    /** Guardians that kill after {@code timeout} without a ping, and record why in {@code recordDir}. */
    public Guardian(Duration timeout, Path recordDir) throws IOException {
        this(timeout, pingInterval(timeout), recordDir);
    }

    /** Pinging every {@code pingEvery}: longer than {@code timeout} is a worker whose pings stop (tests). */
    Guardian(Duration timeout, Duration pingEvery, Path recordDir) throws IOException {
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("a guard timeout must be at least 1 ms, got " + timeout);
        }
        this.timeout = timeout;
        this.recordDir = Files.createDirectories(recordDir);
        pinger.scheduleAtFixedRate(this::pingAll, pingEvery.toMillis(), pingEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The default guard timeout for a connection with this heartbeat (seconds, as negotiated; 0 = off).
     * The Java client sends a frame whenever it sent nothing for half the heartbeat, so the broker last heard
     * a frozen worker at most one heartbeat before the freeze; it drops a connection after two to three
     * heartbeats of silence. It can thus hand the chunk out again no sooner than one heartbeat after the freeze.
     * Half a heartbeat leaves the other half for the kill.
     */
    public static Duration defaultTimeout(int heartbeatSeconds) {
        return heartbeatSeconds > 0 ? Duration.ofMillis(heartbeatSeconds * 1000L / 2) : WITHOUT_HEARTBEAT;
    }

    /** True when a guard this long may still be running when the broker hands the chunk out again. */
    public static boolean tooLongFor(Duration timeout, int heartbeatSeconds) {
        return heartbeatSeconds > 0 && timeout.toMillis() >= heartbeatSeconds * 1000L;
    }

    static Duration pingInterval(Duration timeout) {
        long ms = Math.max(1, timeout.toMillis() / PINGS_PER_TIMEOUT);
        return Duration.ofMillis(Math.min(ms, MAX_PING_INTERVAL.toMillis()));
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * The options that make {@code dp3q-exec} a resident guardian (see {@link ResidentGuardian}) that records a kill
     * under {@code recordId}: it guards each tool it is handed and measures it when it ends; its standard output
     * carries when each tool started and what it measured (see {@link UsageReport}).
     */
    List<String> options(String recordId) {
        return List.of("--guard=" + timeout.toMillis(), "--record=" + record(recordId), "--usage", "--resident");
    }

    /** Starts pinging the guardian that reads {@code pipe}. */
    Link watch(OutputStream pipe) {
        Link link = new Link(pipe);
        links.add(link);
        return link;
    }

    /** Stops pinging; returns what its guardian recorded under {@code recordId} if it killed the run. */
    Optional<GuardRecord> ended(Link link, String recordId, boolean killed) {
        links.remove(link);
        return killed ? GuardRecord.take(record(recordId)) : Optional.empty();
    }

    private Path record(String recordId) {
        return recordDir.resolve(recordId + ".guard");
    }


    private void pingAll() {
        for (Link link : links) {
            if (link.pinging && !link.send(0)) {
                // the guardian has ended; its run is being reaped
                links.remove(link);
            }
        }
    }

    /**
     * The pipe to one guardian. While the worker holds the run's delivery it pings; once the delivery is lost, a
     * run under a claim lives on its lease alone: the guardian kills it when the lease runs out, whatever the JVM
     * does then (stopped, starved, or alive and cut off from the broker).
     */
    public static final class Link {
        private final OutputStream pipe;
        private final byte[] message = new byte[Long.BYTES];
        private volatile boolean pinging = true;

        private Link(OutputStream pipe) {
            this.pipe = pipe;
        }

        /** The run may outlive its pings until {@code untilBootMs} on {@link BootClock}; false if its guardian is gone. */
        public boolean lease(long untilBootMs) {
            if (untilBootMs <= 0) {
                throw new IllegalArgumentException("a lease ends at a positive boot-clock time, got " + untilBootMs);
            }
            return send(untilBootMs);
        }

        /** No more pings: the delivery is gone, and only the lease keeps the run alive. */
        public void stopPinging() {
            pinging = false;
        }

        /**
         * One message in one write: a pipe write of 8 bytes is atomic, so the guardian never reads half of one. The
         * pipe's lock is the one a command is written under (see {@link ResidentGuardian#launch}).
         */
        private boolean send(long value) {
            synchronized (pipe) {
                for (int i = 0; i < Long.BYTES; i++) {
                    message[i] = (byte) (value >>> (8 * i));
                }
                try {
                    pipe.write(message);
                    pipe.flush();
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }
        }
    }

    @Override
    public void close() {
        pinger.shutdownNow();
    }

    /**
     * The guardian of a worker: none when {@code wrapper} cannot guard (util-linux) or {@code requested} is zero;
     * else one with {@code requested}, or the default for the connection's heartbeat when null.
     */
    public static Optional<Guardian> forWorker(ExecWrapper wrapper, Duration requested, int heartbeatSeconds, Path dir)
            throws IOException {
        Duration timeout = requested != null ? requested : defaultTimeout(heartbeatSeconds);
        if (timeout.isZero()) {
            LOG.warn("--guard-timeout 0: no guardian; a frozen worker's subprocess may overlap with its redelivered copy");
            return Optional.empty();
        }
        if (!wrapper.guards()) {
            LOG.warn("subprocesses start through {}, which cannot guard them: a frozen worker's subprocess may"
                    + " overlap with its redelivered copy", wrapper.description());
            return Optional.empty();
        }
        if (tooLongFor(timeout, heartbeatSeconds)) {
            LOG.warn("--guard-timeout {} ms is not shorter than the broker heartbeat of {} s: a frozen worker's"
                    + " subprocess may overlap with its redelivered copy", timeout.toMillis(), heartbeatSeconds);
        }
        LOG.info("each subprocess is guarded: killed after {} ms without a ping from this worker (heartbeat {} s)",
                timeout.toMillis(), heartbeatSeconds);
        return Optional.of(new Guardian(timeout, dir));
    }
}
