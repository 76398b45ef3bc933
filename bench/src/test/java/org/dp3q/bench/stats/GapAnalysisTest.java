package org.dp3q.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.dp3q.bench.stats.GapAnalysis.Gap;
import org.dp3q.bench.stats.GapAnalysis.TaskTrace;
import org.junit.jupiter.api.Test;

class GapAnalysisTest {
    private static final long MS = 1_000_000;

    @Test
    void gapsAreTakenPerSlotInStartOrderAndSplitIntoLegs() {
        List<TaskTrace> traces = List.of(
                // slot a: two runs, given out of order
                new TaskTrace("a", 110 * MS, 200 * MS, 108 * MS, 201 * MS),
                new TaskTrace("a", 10 * MS, 100 * MS, 9 * MS, 100 * MS + MS / 2),
                // slot b: one run, no gap
                new TaskTrace("b", 10 * MS, 50 * MS, 9 * MS, 51 * MS));
        List<Gap> gaps = GapAnalysis.gaps(traces);
        assertEquals(1, gaps.size());
        Gap gap = gaps.get(0);
        assertEquals(10.0, gap.totalMs(), 1e-9);
        assertEquals(0.5, gap.exitToOutcomeMs(), 1e-9);
        assertEquals(7.5, gap.outcomeToNextStartedMs(), 1e-9);
        assertEquals(2.0, gap.startedToExecMs(), 1e-9);
        assertEquals(gap.totalMs(), gap.exitToOutcomeMs() + gap.outcomeToNextStartedMs() + gap.startedToExecMs(), 1e-9);
        assertEquals(0, GapAnalysis.overlaps(traces));
    }

    @Test
    void overlappingRunsOnOneSlotAreCounted() {
        List<TaskTrace> traces = List.of(new TaskTrace("a", 0, 100 * MS, 0, 100 * MS),
                new TaskTrace("a", 50 * MS, 150 * MS, 50 * MS, 150 * MS));
        assertEquals(1, GapAnalysis.overlaps(traces));
    }
}
