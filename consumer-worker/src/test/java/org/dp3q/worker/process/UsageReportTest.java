package org.dp3q.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A guardian's report, as {@code dp3q-exec --usage} writes it: the exit status as the JVM would give it. */
class UsageReportTest {

    @ParameterizedTest(name = "wait status {0} is exit code {1}")
    @CsvSource({"0, 0", "768, 3", "65280, 255", "15, 143", "9, 137", "137, 137"})
    void the_wait_status_reads_as_the_guardians_exit_would(int status, int exitCode) {
        UsageReport report = UsageReport.parse("started=1\ncpu_ms=12\nmax_rss_kb=3400\nleftovers=0\nstatus=" + status + "\n")
                .orElseThrow();
        assertEquals(exitCode, report.exitCode());
        assertEquals(new TreeUsage(12, 3400), report.usage());
    }

    @Test
    void a_report_without_a_status_leaves_the_exit_code_to_the_jvm() {
        assertEquals(-1, UsageReport.parse("cpu_ms=1\nmax_rss_kb=2\nleftovers=0\n").orElseThrow().exitCode());
    }

    @Test
    void a_cut_report_is_none() {
        assertTrue(UsageReport.parse("started=1\ncpu_ms=1\nmax_rss").isEmpty());
        assertTrue(UsageReport.parse("").isEmpty());
    }
}
