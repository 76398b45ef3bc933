package org.dp3q.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import org.dp3q.broker.connect.BrokerSettings;

/**
 * Everything a worker process needs to know, fixed at start.
 *
 * @param slots         subprocesses this worker runs at once (one consumer with prefetch 1 each)
 * @param pool          task queue to consume ({@code dp3q.tasks.<pool>})
 * @param tag           a name for this worker in events and status (default: host name)
 * @param logDir        where each attempt's stdout+stderr log goes
 * @param drainTimeout  how long running subprocesses may finish after SIGTERM
 * @param killGrace     between SIGTERM and SIGKILL when a subprocess is stopped
 * @param maxTaskBytes  larger messages are recorded invalid without being parsed
 * @param announceEvery how often the worker tells {@code dp3q status} it lives and what it runs
 * @param httpPort      port of /health and /prometheus, or null for no HTTP server
 * @param retry         backoff between the attempts of a task with {@code max_attempts > 1}
 * @param guardTimeout  a subprocess's guardian kills it after this long without a ping from the worker (zero: no
 *                      guardian); null: half the connection's heartbeat
 * @param quarantine    when the worker takes itself out for failing everything fast
 * @param endTime       when the worker's allocation ends (no task is started that cannot end before), or null
 * @param claimLease    how long another worker waits, after it last saw a running chunk's claim renewed, before it
 *                      takes the claim for lapsed (zero: no claims; a run dies with its delivery)
 */
public record WorkerSettings(BrokerSettings broker, int slots, String pool, String tag, ToolAllowlist tools,
                             Path logDir, Duration drainTimeout, Duration killGrace, int maxTaskBytes,
                             Duration announceEvery, Integer httpPort, RetryPolicy retry, Duration guardTimeout,
                             QuarantineSettings quarantine, java.time.Instant endTime, Duration claimLease) {
    /** Shortest lease: it must leave room for a renewal and the kill margin. */
    public static final Duration MIN_CLAIM_LEASE = Duration.ofSeconds(3);
    /** Fast failures that may be the node's: off when the worker never quarantines. */
    public Duration failedFast() {
        return quarantine.after() == 0 ? Duration.ZERO : quarantine.failedFast();
    }

    /** These settings with other tools and another log folder: a rehearsal's, which runs no real tool and keeps no log. */
    public WorkerSettings rehearsing(ToolAllowlist rehearsalTools, Path rehearsalLogs) {
        return new WorkerSettings(broker, slots, pool, tag, rehearsalTools, rehearsalLogs, drainTimeout, killGrace,
                maxTaskBytes, announceEvery, httpPort, retry, guardTimeout, quarantine, endTime, claimLease);
    }

    public WorkerSettings {
        if (slots < 1) {
            throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
        }
        if (guardTimeout != null && (guardTimeout.isNegative() || (!guardTimeout.isZero() && guardTimeout.toMillis() < 1))) {
            throw new IllegalArgumentException("--guard-timeout must be 0 (no guardian) or at least 1ms, got " + guardTimeout);
        }
        if (claimLease.isNegative() || (!claimLease.isZero() && (claimLease.compareTo(MIN_CLAIM_LEASE) < 0
                || claimLease.compareTo(org.dp3q.worker.claim.Claims.MAX_LEASE) > 0))) {
            throw new IllegalArgumentException("--claim-lease must be 0 (no claims) or between " + MIN_CLAIM_LEASE.toSeconds()
                    + "s and " + org.dp3q.worker.claim.Claims.MAX_LEASE.toMinutes() + "m, got " + claimLease);
        }
    }
}
