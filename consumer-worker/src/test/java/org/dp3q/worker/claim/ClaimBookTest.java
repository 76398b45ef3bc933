package org.dp3q.worker.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The verdicts the claims before a run's own allow, by the rules of docs/design/claims.md. */
class ClaimBookTest {
    private static final long LEASE = 10_000;
    private final ClaimBook book = new ClaimBook(LEASE);

    private static ClaimRecord claim(String run, String copy) {
        return new ClaimRecord(ClaimRecord.Kind.CLAIM, "t1", copy, run, "w-" + run, null);
    }

    @Test
    void the_first_claim_of_a_task_runs() {
        assertEquals(Verdict.Kind.RUN, book.judge(claim("a", "m#1.0"), 100).kind());
    }

    @Test
    void a_claim_read_less_than_a_lease_before_ones_own_holds_it_until_a_lease_after_it_was_seen() {
        book.apply(claim("a", "m#1.0"), 1_000);
        Verdict verdict = book.judge(claim("b", "m#1.0"), 1_000 + LEASE - 1);
        assertEquals(Verdict.Kind.HOLD, verdict.kind());
        assertEquals(1_000 + LEASE, verdict.untilNanos());
        assertEquals("w-a", verdict.owner());
    }

    @Test
    void a_renewal_keeps_the_claim_live_and_a_lease_without_one_lets_it_lapse() {
        book.apply(claim("a", "m#1.0"), 1_000);
        book.apply(claim("a", "m#1.0").renewal(), 5_000);
        assertEquals(Verdict.Kind.HOLD, book.judge(claim("b", "m#1.0"), 1_000 + LEASE + 1).kind());
        assertEquals(Verdict.Kind.RUN, book.judge(claim("b", "m#1.0"), 5_000 + LEASE).kind());
    }

    @Test
    void a_release_with_a_recorded_outcome_settles_the_same_copy_and_frees_another() {
        book.apply(claim("a", "m#1.0"), 1_000);
        book.apply(claim("a", "m#1.0").release("succeeded"), 2_000);
        Verdict same = book.judge(claim("b", "m#1.0"), 2_001);
        assertEquals(Verdict.Kind.SETTLED, same.kind());
        assertEquals("succeeded", same.outcome());
        assertEquals(Verdict.Kind.RUN, book.judge(claim("c", "m#2.0"), 2_001).kind());
    }

    @Test
    void a_run_released_killed_or_held_neither_settles_nor_holds_the_copy() {
        book.apply(claim("a", "m#1.0"), 1_000);
        book.apply(claim("a", "m#1.0").release(ClaimRecord.KILLED), 2_000);
        book.apply(claim("h", "m#1.0"), 2_100);
        book.apply(claim("h", "m#1.0").release(ClaimRecord.HELD), 2_200);
        assertEquals(Verdict.Kind.RUN, book.judge(claim("b", "m#1.0"), 2_300).kind());
    }

    @Test
    void a_renewal_whose_claim_was_not_read_counts_as_a_claim() {
        book.apply(claim("a", "m#1.0").renewal(), 1_000);
        assertEquals(Verdict.Kind.HOLD, book.judge(claim("b", "m#1.0"), 1_500).kind());
    }

    @Test
    void a_release_read_without_its_claim_holds_nothing() {
        book.apply(claim("a", "m#1.0").release(ClaimRecord.LOST), 1_000);
        assertEquals(Verdict.Kind.RUN, book.judge(claim("b", "m#1.0"), 1_001).kind());
    }

    @Test
    void claims_of_other_tasks_do_not_count() {
        book.apply(new ClaimRecord(ClaimRecord.Kind.CLAIM, "t2", "n#1.0", "a", "w-a", null), 1_000);
        assertEquals(Verdict.Kind.RUN, book.judge(claim("b", "m#1.0"), 1_001).kind());
    }
}
