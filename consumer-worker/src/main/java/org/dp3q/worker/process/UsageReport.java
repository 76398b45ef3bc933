package org.dp3q.worker.process;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.Properties;

/**
 * What a guardian ({@code dp3q-exec --usage}) reported on its standard output once its tool had ended and it had
 * killed and reaped what the tool left behind: {@code cpu_ms=N}, {@code max_rss_kb=N}, {@code leftovers=N} and
 * {@code status=N}, one per line. A report that is missing (the guardian killed its group) or cannot be read is
 * none: the sampled figures stand, the worker looks for leftovers itself, and waits for the guardian's exit.
 *
 * @param usage     CPU of the tool and every descendant, and the largest peak resident set among them
 * @param leftovers descendants still running after the guardian's last round of kills (0: none)
 * @param exitCode  the tool's end as the guardian's own exit will show it (a signal N as 128 + N); -1 when not
 *                  reported (a guardian of an earlier build)
 */
record UsageReport(TreeUsage usage, long leftovers, int exitCode) {
    /** How the report's last line begins. */
    static final String LAST_LINE = "status=";

    /** The report in a guardian's output {@code text}; empty when it holds none, or only part of one. */
    static Optional<UsageReport> parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        long cpuMs = GuardRecord.number(p, "cpu_ms");
        long maxRssKb = GuardRecord.number(p, "max_rss_kb");
        long leftovers = GuardRecord.number(p, "leftovers");
        long status = GuardRecord.number(p, "status");
        return cpuMs < 0 || maxRssKb < 0 || leftovers < 0 ? Optional.empty()
                : Optional.of(new UsageReport(new TreeUsage(cpuMs, maxRssKb), leftovers, exitCode(status)));
    }

    /** A wait status as {@link Process#exitValue} gives it: the exit code, or 128 + the signal that ended it. */
    private static int exitCode(long status) {
        if (status < 0 || status > 0xffff) {
            return -1;
        }
        int signal = (int) (status & 0x7f);
        return signal == 0 ? (int) ((status >> 8) & 0xff) : RunningProcess.SIGNAL_EXIT_BASE + signal;
    }
}
