package org.dp3q.worker.process;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What a guardian ({@code dp3q-exec --guard}) wrote before it killed its process group because the worker's
 * pings stopped: for how long it heard nothing, its limit, how long ago the run's lease ran out (-1: it had
 * none), and when it killed (wall clock).
 */
public record GuardRecord(long silentMs, long guardMs, long leaseOverMs, Instant killedAt) {

    /** The record at {@code file}, removed once read; empty when there is none (the guardian did not kill). */
    static Optional<GuardRecord> take(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new GuardRecord(-1, -1, -1, null));
        } finally {
            forget(file);
        }
        return Optional.of(new GuardRecord(number(p, "silent_ms"), number(p, "guard_ms"), number(p, "lease_over_ms"),
                number(p, "killed_at_ms") < 0 ? null : Instant.ofEpochMilli(number(p, "killed_at_ms"))));
    }

    /** One sentence for the log and the task's event. */
    public String describe() {
        return "no ping from the worker reached the subprocess's guardian for " + seconds(silentMs)
                + " (--guard-timeout " + seconds(guardMs) + ")" + (leaseOverMs < 0 ? "" : " and the run's claim ran out "
                + seconds(leaseOverMs) + " ago (no renewal confirmed in time)") + ": the worker's JVM was stopped or"
                + " starved (SIGSTOP, a paused VM, swapping) or cut off from the broker, so the guardian killed the"
                + " subprocess group"
                + (killedAt == null ? "" : " at " + killedAt) + " before the broker could hand the chunk to another worker";
    }

    private static String seconds(long ms) {
        return ms < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** The number under {@code key}, or -1 when it is missing or not a number. */
    static long number(Properties p, String key) {
        try {
            return Long.parseLong(p.getProperty(key, "-1").strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void forget(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale record is read by no one: run ids are never reused
        }
    }
}
