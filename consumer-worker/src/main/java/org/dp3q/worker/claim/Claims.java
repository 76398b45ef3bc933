package org.dp3q.worker.claim;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dp3q.worker.process.BootClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's claims on the chunks it runs (design: docs/design/claims.md). Each run is claimed in
 * {@code dp3q.claims} once it has run for {@link #CLAIM_AFTER} (a copy that may have run already: before it
 * starts), renewed every {@link #renewEvery} while it runs, and released when its outcome is recorded. A run whose claim was judged first in the log and is confirmed may outlive its delivery:
 * its guardian holds a lease that ends {@link #margin} before any other worker can see the claim lapse, and is
 * extended only by renewals confirmed in time. Another worker that gets the chunk's redelivered copy meanwhile
 * holds it, and settles it without running once this run's outcome is recorded.
 */
public final class Claims implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);
    /** Longest lease: the claims stream keeps an hour, and a reader must find a live claim's last renewal. */
    public static final Duration MAX_LEASE = Duration.ofMinutes(20);
    private static final Duration MAX_MARGIN = Duration.ofSeconds(5);
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long a fresh run goes unclaimed (see {@link #claimLater}). */
    public static final Duration CLAIM_AFTER = Duration.ofSeconds(1);
    /** The task and copy of {@link #rehearse}'s claim, which is never published. */
    private static final String REHEARSAL = "dp3q-rehearsal";

    private final Duration lease;
    private final String owner;
    private final ClaimLog log;
    private final ClaimPublisher publisher;
    private final Set<Claim> active = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    private Claims(Duration lease, String owner, Connection connection, ScheduledExecutorService timer) {
        this.lease = lease;
        this.timer = timer;
        this.owner = owner;
        this.log = new ClaimLog(lease.toNanos());
        this.publisher = new ClaimPublisher(connection);
    }

    /**
     * The claims of a worker, or none: when {@code lease} is zero, or its runs are not guarded (a frozen JVM could
     * not end a run whose lease ran out), or the machine has no boot clock. Without claims a run dies with its
     * delivery.
     */
    public static Optional<Claims> forWorker(Duration lease, boolean guarded, String owner, Connection connection,
                                             ScheduledExecutorService timer) {
        if (lease.isZero()) {
            LOG.info("--claim-lease 0: a running subprocess is killed when its delivery is lost");
            return Optional.empty();
        }
        if (!guarded || !BootClock.available()) {
            LOG.warn("{}: a running subprocess is killed when its delivery is lost (no claims)",
                    guarded ? "no boot clock (/proc/uptime)" : "no guardian");
            return Optional.empty();
        }
        Claims claims = new Claims(lease, owner, connection, timer);
        try {
            claims.log.start(connection);
        } catch (IOException e) {
            // a broker set up before claims existed: the admin declares dp3q.claims with 'dp3q topology'
            LOG.warn("cannot read {}: {}; no claims: a running subprocess is killed when its delivery is lost",
                    org.dp3q.broker.topology.Topology.CLAIMS_STREAM, e.getMessage());
            return Optional.empty();
        }
        claims.rehearse();
        long tick = Math.max(50, Math.min(RETRY_NANOS / 1_000_000, claims.renewEvery().toMillis() / 4));
        timer.scheduleWithFixedDelay(claims::renewDue, tick, tick, TimeUnit.MILLISECONDS);
        LOG.info("runs are claimed with a lease of {} s, renewed every {} s: a run outlives a lost connection or a"
                + " broker restart of up to {} s", lease.toMillis() / 1000.0, claims.renewEvery().toMillis() / 1000.0,
                claims.survivable().toMillis() / 1000.0);
        return Optional.of(claims);
    }

    /** {@code L}: how long another worker treats a claim as live after it last read a renewal. */
    public Duration lease() {
        return lease;
    }

    /** {@code R}: a sixth of the lease. */
    public Duration renewEvery() {
        return lease.dividedBy(6);
    }

    /** {@code M}: the run's own lease ends this much before any other worker can see the claim lapse. */
    public Duration margin() {
        Duration quarter = lease.dividedBy(4);
        return quarter.compareTo(MAX_MARGIN) < 0 ? quarter : MAX_MARGIN;
    }

    /** The longest outage a claimed run rides through: {@code L - R - M}. */
    public Duration survivable() {
        return lease.minus(renewEvery()).minus(margin());
    }

    /** Claims the run of {@code copy} of task {@code task} by {@code slot} now; its verdict follows once read back. */
    public Claim claim(String task, String copy, int slot) {
        Claim claim = new Claim(this, record(task, copy, slot));
        publish(claim);
        return claim;
    }

    /**
     * Claims the run after {@link #CLAIM_AFTER}, unless it was released by then: a run that ends sooner needs no
     * claim (killing it on a lost delivery costs less than a second), and the short tasks of a busy pool put
     * nothing on the claims stream. Until its claim is judged, a run dies with its delivery.
     */
    public Claim claimLater(String task, String copy, int slot) {
        Claim claim = new Claim(this, record(task, copy, slot));
        timer.schedule(() -> publish(claim), CLAIM_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        return claim;
    }

    /**
     * Claims a run for later and releases it at once, so that it is never published: a slot's first chunk then finds
     * the claim's code linked. A fresh worker linked it on its first chunk, between the delivery and the tool's start
     * (4 workers x 1 slot on 2 cores: 1-24 ms).
     */
    private void rehearse() {
        claimLater(REHEARSAL, REHEARSAL, -1).release(ClaimRecord.LOST);
    }

    private ClaimRecord record(String task, String copy, int slot) {
        return new ClaimRecord(ClaimRecord.Kind.CLAIM, task, copy, UUID.randomUUID().toString(), owner + "/slot" + slot,
                null);
    }

    private void publish(Claim claim) {
        if (!claim.publishing()) {
            return;
        }
        long publishedNanos = System.nanoTime();
        long sentBootMs = BootClock.nowMs();
        log.judge(claim.record(), publishedNanos, claim.verdictFuture());
        active.add(claim);
        if (claim.released()) {
            // released while this was being published: the release may be in the log before the claim
            active.remove(claim);
        }
        claim.sent(sentBootMs, publisher.publish(claim.record()), System.nanoTime() + renewEvery().toNanos());
    }

    long leaseForMs() {
        return lease.minus(margin()).toMillis();
    }

    ClaimPublisher publisher() {
        return publisher;
    }

    void forget(Claim claim) {
        active.remove(claim);
    }

    private void renewDue() {
        long now = System.nanoTime();
        for (Claim claim : active) {
            try {
                if (claim.renewalDue(now)) {
                    long sentBootMs = BootClock.nowMs();
                    claim.sent(sentBootMs, publisher.publish(claim.record().renewal()), now + renewEvery().toNanos());
                }
            } catch (RuntimeException e) {
                LOG.warn("renewing the claim on task {}: {}", claim.record().task(), e.toString());
            }
        }
    }

    /** Called when a publish failed: try again soon rather than a whole renewal period later. */
    long retryAt(long nowNanos) {
        return nowNanos + RETRY_NANOS;
    }

    @Override
    public void close() {
        log.close();
    }
}
