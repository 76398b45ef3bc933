package org.dp3q.bench.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.dp3q.bench.standin.StandinRuns.Run;
import org.junit.jupiter.api.Test;

class StandinRunsTest {
    @Test
    void pairsEachStartWithTheNextEndOfItsPid() {
        List<Run> runs = StandinRuns.parse(List.of(
                "start 100 7 1 msin=a.ms standin.sleep=0.1",
                "start 150 8 1 msin=b.ms",
                "end 200 7 0",
                "start 300 7 2 msin=c.ms",
                "end 400 7 3"));
        assertEquals(3, runs.size());
        assertEquals(200, runs.get(0).endNs());
        assertEquals("0.1", runs.get(0).arg("standin.sleep").orElseThrow());
        assertFalse(runs.get(1).ended());
        assertEquals(300, runs.get(2).startNs());
        assertEquals(400, runs.get(2).endNs());
        assertEquals(3, runs.get(2).exitCode());
        assertEquals(2, runs.get(2).parentPid());
    }
}
