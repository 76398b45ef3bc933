package org.dp3q.worker.claim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dp3q.worker.process.BootClock;
import org.dp3q.worker.process.RunningProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's claim. Its lease ({@link #leaseEndMs}, on {@link BootClock}) starts when the claim is confirmed,
 * {@code L - M} after the claim was sent, and each renewal confirmed before the lease ran out moves it to
 * {@code L - M} after that renewal was sent. Once the verdict says the run is the first live claim of its
 * task, the lease goes to the run's guardian, and the run may outlive its delivery ({@link #covers}).
 */
public final class Claim {
    private static final Logger LOG = LoggerFactory.getLogger(Claim.class);

    private final Claims claims;
    private final ClaimRecord record;
    private final CompletableFuture<Verdict> verdict = new CompletableFuture<>();
    private boolean published;
    private long leaseEndMs;
    private long nextRenewalNanos;
    private RunningProcess process;
    private boolean released;

    Claim(Claims claims, ClaimRecord record) {
        this.claims = claims;
        this.record = record;
        verdict.thenRun(this::passLease);
    }

    /** Marks the claim published, unless it was released first (a run that ended before its claim was due). */
    synchronized boolean publishing() {
        if (released) {
            return false;
        }
        published = true;
        return true;
    }

    /** Completed by the {@link ClaimLog} once the claim is read back. */
    CompletableFuture<Verdict> verdictFuture() {
        return verdict;
    }

    ClaimRecord record() {
        return record;
    }

    public String task() {
        return record.task();
    }

    /** Waits for the verdict; null when none came in {@code timeout} (the claim was not read back). */
    public Verdict verdict(Duration timeout) throws InterruptedException {
        try {
            return verdict.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        }
    }

    /** True once released. */
    public synchronized boolean released() {
        return released;
    }

    /** The verdict's kind if it came, else {@code otherwise}. */
    public Verdict.Kind verdictOr(Verdict.Kind otherwise) {
        Verdict judged = verdict.getNow(null);
        return judged == null ? otherwise : judged.kind();
    }

    /** The lease this run's guardian enforces once its delivery is lost; 0 until the claim is confirmed. */
    public synchronized long leaseEndMs() {
        return leaseEndMs;
    }

    /** The run of this claim is {@code process}: it gets the lease once the verdict allows. */
    public synchronized void runs(RunningProcess running) {
        process = running;
        passLease();
    }

    /**
     * True when the run may outlive its delivery: judged the first live claim of its task, confirmed, guarded,
     * and its lease not yet over.
     */
    public synchronized boolean covers() {
        Verdict judged = verdict.getNow(null);
        return judged != null && judged.kind() == Verdict.Kind.RUN && process != null && process.guarded()
                && leaseEndMs > BootClock.nowMs() && !released;
    }

    /**
     * Ends the claim with {@code outcome}; the future completes once the release is stored. Other workers settle
     * a held copy of this one without running it when the outcome says it was recorded.
     */
    public CompletableFuture<Void> release(String outcome) {
        synchronized (this) {
            released = true;
            if (!published) {
                // never published: nobody can have seen it, there is nothing to end
                return CompletableFuture.completedFuture(null);
            }
        }
        claims.forget(this);
        return claims.publisher().publish(record.release(outcome));
    }

    /** Publishes the release and waits for it, trying again while the broker is away, up to {@code patience}. */
    public boolean releaseAndWait(String outcome, Duration patience) throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                release(outcome).get(Math.max(1, (until - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                return true;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() >= until) {
                    LOG.warn("could not release the claim on task {}: {}; its held copy runs again once the claim lapses",
                            record.task(), e.getMessage());
                    return false;
                }
                Thread.sleep(500);
            }
        }
    }

    synchronized boolean renewalDue(long nowNanos) {
        return !released && nowNanos >= nextRenewalNanos;
    }

    /** A claim or renewal sent at {@code sentBootMs}: the lease follows it if it is confirmed before the lease ends. */
    synchronized void sent(long sentBootMs, CompletableFuture<Void> confirmed, long nextNanos) {
        nextRenewalNanos = nextNanos;
        confirmed.whenComplete((ok, error) -> confirmed(sentBootMs, error));
    }

    private synchronized void confirmed(long sentBootMs, Throwable error) {
        if (error != null) {
            nextRenewalNanos = claims.retryAt(System.nanoTime());
            LOG.debug("claim on task {} not stored: {}", record.task(), error.toString());
            return;
        }
        long confirmedAt = BootClock.nowMs();
        // a renewal confirmed after the lease ended changes nothing: the guardian may have killed the run already
        if (leaseEndMs == 0 || confirmedAt < leaseEndMs) {
            leaseEndMs = Math.max(leaseEndMs, sentBootMs + claims.leaseForMs());
            passLease();
        }
    }

    private synchronized void passLease() {
        Verdict judged = verdict.getNow(null);
        if (process != null && leaseEndMs > 0 && judged != null && judged.kind() == Verdict.Kind.RUN) {
            process.lease(leaseEndMs);
        }
    }
}
