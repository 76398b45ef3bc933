package org.dp3q.worker.claim;

/**
 * What the claims before a run's own claim allow it. {@code RUN}: no other claim of the task is live;
 * {@code HOLD}: {@code owner}'s is, until {@code untilNanos} at the latest (local monotonic time);
 * {@code SETTLED}: {@code owner} ran this very copy and recorded {@code outcome}.
 */
public record Verdict(Kind kind, String owner, long untilNanos, String outcome) {
    public enum Kind { RUN, HOLD, SETTLED }

    static Verdict run() {
        return new Verdict(Kind.RUN, null, 0, null);
    }

    static Verdict hold(String owner, long untilNanos) {
        return new Verdict(Kind.HOLD, owner, untilNanos, null);
    }

    static Verdict settled(String owner, String outcome) {
        return new Verdict(Kind.SETTLED, owner, 0, outcome);
    }
}
