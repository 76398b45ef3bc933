package org.dp3q.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void nearestRankPercentiles() {
        double[] samples = new double[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // 100 .. 1, unsorted on purpose
        }
        assertEquals(50, Stats.percentile(samples, 50));
        assertEquals(99, Stats.percentile(samples, 99));
        assertEquals(100, Stats.percentile(samples, 100));
        assertEquals(1, Stats.percentile(samples, 0.5));
    }

    @Test
    void percentileOfFewSamplesIsOneOfThem() {
        double[] samples = {3, 1, 2};
        assertEquals(2, Stats.percentile(samples, 50));
        assertEquals(3, Stats.percentile(samples, 99));
        assertTrue(Double.isNaN(Stats.percentile(new double[0], 50)));
    }

    @Test
    void spreadOverRuns() {
        Stats.Spread odd = Stats.Spread.of(List.of(3.0, 1.0, 2.0));
        assertEquals(2, odd.median());
        assertEquals(1, odd.min());
        assertEquals(3, odd.max());
        assertEquals(3, odd.runs());
        assertEquals(2.5, Stats.Spread.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
        assertEquals(0, Stats.Spread.of(List.of(Double.NaN)).runs());
    }
}
