package org.dp3q.worker.claim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One record of {@code dp3q.claims}. {@code task}: the task's id; {@code copy}: which message of the task the run
 * belongs to (message id, attempt and returns: a held copy keeps its original's, a retried or returned one gets
 * its own); {@code run}: a fresh id per claim; {@code owner}: the worker and slot; {@code outcome}, on a release:
 * what became of the run (an outcome event's name when one was recorded, else {@link #KILLED}, {@link #HELD} or
 * {@link #LOST}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimRecord(@JsonProperty("kind") Kind kind, @JsonProperty("task") String task,
                          @JsonProperty("copy") String copy, @JsonProperty("run") String run,
                          @JsonProperty("owner") String owner, @JsonProperty("outcome") String outcome) {
    /** Released after its guardian killed it: nothing was recorded, the copy must run again. */
    public static final String KILLED = "killed";
    /** Released without running: another claim was live; the copy waits in a delay queue. */
    public static final String HELD = "held";
    /** Released after the run died with its delivery (it was not covered by its claim yet). */
    public static final String LOST = "lost";

    public enum Kind {
        @JsonProperty("claim") CLAIM,
        @JsonProperty("renew") RENEW,
        @JsonProperty("release") RELEASE
    }

    public ClaimRecord {
        if (kind == null || task == null || copy == null || run == null) {
            throw new IllegalArgumentException("a claim record needs kind, task, copy and run");
        }
    }

    /** True when a release says the copy's outcome is recorded: a held copy of it is settled without running. */
    public boolean recordsOutcome() {
        return kind == Kind.RELEASE && outcome != null && !outcome.equals(KILLED) && !outcome.equals(HELD)
                && !outcome.equals(LOST);
    }

    ClaimRecord renewal() {
        return new ClaimRecord(Kind.RENEW, task, copy, run, owner, null);
    }

    ClaimRecord release(String how) {
        return new ClaimRecord(Kind.RELEASE, task, copy, run, owner, how);
    }
}
