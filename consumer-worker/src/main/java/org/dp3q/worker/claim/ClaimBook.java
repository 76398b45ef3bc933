package org.dp3q.worker.claim;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What one worker has read of {@code dp3q.claims}, in log order: per task, the runs claimed and, for each, the
 * local monotonic time at which this reader last read its claim or renewal ({@code seen}). Records read during a
 * catch-up get the time they are read, so a claim looks younger than it is, never older. Only the reader's thread
 * touches it.
 * <p>
 * For a claim of this worker's own, read back at its place in the log, {@link #judge} says what the records
 * before it allow: run, hold (another run's claim is live), or settle (a run of the same copy was released with
 * its outcome recorded). A run is live until the reader has read its release, or until the reader's own claim
 * was published a whole lease after {@code seen}: by then the claimer's guardian has killed it (see the design
 * note).
 */
final class ClaimBook {
    private static final int PRUNE_EVERY = 1000;

    private final long leaseNanos;
    private final Map<String, Map<String, RunView>> tasks = new HashMap<>();
    private int sincePrune;

    ClaimBook(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    /** What the reader learned from the next record of the log, read at {@code nowNanos}. */
    void apply(ClaimRecord record, long nowNanos) {
        Map<String, RunView> runs = tasks.computeIfAbsent(record.task(), t -> new HashMap<>());
        RunView view = runs.computeIfAbsent(record.run(), r -> new RunView(record.owner(), record.copy()));
        view.lastNanos = nowNanos;
        switch (record.kind()) {
            case CLAIM, RENEW -> view.seenNanos = Math.max(view.seenNanos, nowNanos);
            case RELEASE -> {
                view.released = true;
                view.recordsOutcome = record.recordsOutcome();
                view.outcome = record.outcome();
            }
        }
        if (++sincePrune >= PRUNE_EVERY) {
            sincePrune = 0;
            prune(nowNanos);
        }
    }

    /** The verdict on {@code own}, read back now, whose publish began at {@code publishedNanos} (local monotonic). */
    Verdict judge(ClaimRecord own, long publishedNanos) {
        Map<String, RunView> runs = tasks.get(own.task());
        if (runs == null) {
            return Verdict.run();
        }
        Verdict hold = null;
        for (Map.Entry<String, RunView> entry : runs.entrySet()) {
            RunView other = entry.getValue();
            if (entry.getKey().equals(own.run())) {
                continue;
            }
            if (other.released) {
                if (other.recordsOutcome && own.copy().equals(other.copy)) {
                    return Verdict.settled(other.owner, other.outcome);
                }
            } else if (other.seenNanos > 0 && publishedNanos - other.seenNanos < leaseNanos) {
                long until = other.seenNanos + leaseNanos;
                if (hold == null || until > hold.untilNanos()) {
                    hold = Verdict.hold(other.owner, until);
                }
            }
        }
        return hold != null ? hold : Verdict.run();
    }

    /** Tasks known, for tests and metrics. */
    int size() {
        return tasks.size();
    }

    /** Forgets tasks whose runs all ended (released, or silent for two leases): memory follows the live work. */
    private void prune(long nowNanos) {
        for (Iterator<Map<String, RunView>> it = tasks.values().iterator(); it.hasNext(); ) {
            Map<String, RunView> runs = it.next();
            runs.values().removeIf(v -> nowNanos - v.lastNanos > (v.recordsOutcome ? 4 : 2) * leaseNanos);
            if (runs.isEmpty()) {
                it.remove();
            }
        }
    }

    private static final class RunView {
        final String owner;
        final String copy;
        long seenNanos;
        long lastNanos;
        boolean released;
        boolean recordsOutcome;
        String outcome;

        RunView(String owner, String copy) {
            this.owner = owner;
            this.copy = copy;
        }
    }
}
