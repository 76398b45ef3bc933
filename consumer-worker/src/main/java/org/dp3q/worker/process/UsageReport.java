package org.dp3q.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/**
 * What a guardian ({@code dp3q-exec --usage}) reported on its standard output once its tool had ended and it had
 * killed and reaped what the tool left behind: {@code cpu_ms=N}, {@code max_rss_kb=N} and {@code leftovers=N},
 * one per line. A report that is missing (the guardian killed its group) or cannot be read is none: the sampled
 * figures stand, and the worker looks for leftovers itself.
 *
 * @param usage     CPU of the tool and every descendant, and the largest peak resident set among them
 * @param leftovers descendants still running after the guardian's last round of kills (0: none)
 */
record UsageReport(TreeUsage usage, long leftovers) {

    /** The report the guardian wrote to {@code out} before it ended; read after the guardian was reaped. */
    static Optional<UsageReport> read(InputStream out) {
        Properties p = new Properties();
        try (out) {
            p.load(new InputStreamReader(out, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
        long cpuMs = GuardRecord.number(p, "cpu_ms");
        long maxRssKb = GuardRecord.number(p, "max_rss_kb");
        long leftovers = GuardRecord.number(p, "leftovers");
        return cpuMs < 0 || maxRssKb < 0 || leftovers < 0 ? Optional.empty()
                : Optional.of(new UsageReport(new TreeUsage(cpuMs, maxRssKb), leftovers));
    }
}
