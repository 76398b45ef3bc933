package org.dp3q.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dp3q.bench.report.Report;
import org.dp3q.bench.report.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerFiguresTest {
    @TempDir
    Path results;

    @Test
    void eachFigureGetsEverySystemAndDp3qsRatioToTheBestPeer() throws IOException {
        summary("dp3q", 1, 10.0, 50.0, 1.15, 1600);
        summary("dp3q", 2, 12.0, 30.0, 1.13, 1400);
        summary("dask", 1, 2.0, 6.0, 1.02, 40);
        summary("celery", 1, 4.0, 5.0, 1.04, 20);
        Report report = new Report();
        new PeerFigures(results, 2).addTo(report, "peers", "W=4");
        Map<String, Row> rows = report.rows().stream().collect(Collectors.toMap(Row::figure, r -> r, (a, b) -> b));
        assertEquals(11.0, rows.get("dispatch gap p50 (ms), dp3q").spread().median(), 1e-9);
        List<Row> ratios = report.rows().stream().filter(r -> r.figure().contains("best peer")).toList();
        assertEquals(4, ratios.size());
        assertEquals(11.0 / 2.0, ratios.get(0).spread().median(), 1e-9);   // gap p50: Dask is best
        assertEquals(40.0 / 5.0, ratios.get(1).spread().median(), 1e-9);   // gap p99: Celery is best
        assertEquals(1.14 / 1.02, ratios.get(2).spread().median(), 1e-9);
        assertEquals(1500.0 / 20.0, ratios.get(3).spread().median(), 1e-9);
        assertTrue(ratios.stream().allMatch(r -> r.verdict().equals("MISSED")));
    }

    @Test
    void aSystemWithoutSummariesLeavesItsRowsEmptyAndTheRatioOnTheOtherPeer() throws IOException {
        summary("dp3q", 1, 3.0, 6.0, 1.01, 200);
        summary("dask", 1, 6.0, 12.0, 1.02, 40);
        Report report = new Report();
        new PeerFigures(results, 1).addTo(report, "peers", "W=4");
        Row celery = report.rows().stream().filter(r -> r.figure().equals("dispatch gap p50 (ms), celery")).findFirst()
                .orElseThrow();
        assertEquals(0, celery.spread().runs());
        Row ratio = report.rows().stream().filter(r -> r.figure().contains("best peer")).findFirst().orElseThrow();
        assertEquals(0.5, ratio.spread().median(), 1e-9);
        assertEquals("met", ratio.verdict());
    }

    @Test
    void barriersFiguresAreReadFromWhatTheScriptPrinted() {
        Report report = new Report();
        PeerFigures.addBarriers("10 barriers of 100 ms chunks: ideal 1.00 s; dask 1.23 s (23 ms/barrier); "
                + "dp3q 9.61 s (861 ms/barrier); dp3q/dask overhead x37.4\n", report, "peers");
        List<Row> rows = report.rows();
        assertEquals(3, rows.size());
        assertEquals(23.0, rows.get(0).spread().median(), 1e-9);
        assertEquals(861.0, rows.get(1).spread().median(), 1e-9);
        assertEquals(861.0 / 23.0, rows.get(2).spread().median(), 1e-9);
    }

    private void summary(String system, int rep, double p50, double p99, double makespan, double firstStartMs)
            throws IOException {
        Path dir = Files.createDirectories(results.resolve(system + "." + rep));
        Files.writeString(dir.resolve("summary.json"), String.format(java.util.Locale.ROOT,
                "{\"gap_ms\":{\"median\":%s,\"p99\":%s},\"makespan_from_publish_over_LB\":%s,"
                        + "\"first_start_after_publish_ms\":%s,\"missing\":0,\"dup_chunks\":0}",
                p50, p99, makespan, firstStartMs));
    }
}
